/**
 * Load: C concurrent clients polling GET /portfolio/{id}/batch-status/{run}
 * on 127.0.0.1 for D seconds while 2,000-portfolio batches run (a new run is
 * triggered whenever one ends, so the whole window has a batch in progress).
 * Real processes: one API process (PROCESS_ROLE=api) and W worker processes
 * on a fresh database of the PostgreSQL server in TEST_DATABASE_URL.
 *
 *   npm run load -- [--clients 200] [--duration 20] [--workers 2] [--portfolios 2000]
 *
 * Prints latency p50/p90/p99/max, throughput, status counts and errors;
 * exits 1 on any 5xx or connection error.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  ADMIN, AppProcess, cleanUpWorkDir, createFaultDatabase, FaultDb, FINAL, http, killAll, runRow, seedBook, signIn, startProcess, triggerAll,
} from './harness';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    duration: { type: 'string', default: '20' },
    workers: { type: 'string', default: '2' },
    portfolios: { type: 'string', default: '2000' },
  },
});
const CLIENTS = Number(values.clients);
const DURATION_S = Number(values.duration);
const WORKERS = Number(values.workers);
const PORTFOLIOS = Number(values.portfolios);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function main(): Promise<void> {
  let db: FaultDb | null = null;
  let api: AppProcess | null = null;
  try {
    db = await createFaultDatabase('load');
    api = await startProcess({ name: 'load-api', role: 'api', db, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, BATCH_CHUNK_SIZE: '100' },
      // e.g. LOAD_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API process (written when it exits on SIGTERM)
      nodeArgs: process.env.LOAD_API_NODE_ARGS?.split(' ').filter(Boolean),
    });
    await Promise.all(Array.from({ length: WORKERS }, (_, i) => startProcess({ name: `load-worker${i + 1}`, role: 'worker', db: db!, env: { BATCH_CHUNK_SIZE: '100' } })));
    const { owner, admin } = await signIn(api);
    const ids = await seedBook(db, owner.id, PORTFOLIOS, 3);
    const portfolioId = ids[0];
    const base = new URL(api.url!);
    const apiUrl = api.url!;

    // batches back to back for the whole window
    let runId = await triggerAll(api, admin.token);
    const apiProcess = api;
    const runs: Array<{ id: string; status: string; ms: number }> = [];
    let runStarted = Date.now();
    let stopRuns = false;
    const runLoop = (async () => {
      while (!stopRuns) {
        const r = await runRow(db!, runId);
        if (FINAL.includes(r.status)) {
          runs.push({ id: runId, status: r.status, ms: Date.now() - runStarted });
          if (stopRuns) break;
          runStarted = Date.now();
          runId = await triggerAll(apiProcess, admin.token);
        }
        await new Promise((res) => setTimeout(res, 100));
      }
    })();

    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const errors = new Map<string, number>();
    const deadline = performance.now() + DURATION_S * 1000;
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { agent, host: base.hostname, port: base.port, path, method: 'GET', headers: { Authorization: `Bearer ${owner.token}` }, timeout: 30_000 },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
        req.end();
      });
    const client = async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const status = await get(`/api/v1/portfolio/${portfolioId}/batch-status/${runId}`);
          latencies.push(performance.now() - t0);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        } catch (e) {
          const key = (e as Error).message;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    };
    process.stdout.write(`load: ${CLIENTS} clients polling batch-status for ${DURATION_S} s; 1 API + ${WORKERS} worker process(es), ${PORTFOLIOS} portfolios per batch\n`);
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const elapsed = (performance.now() - started) / 1000;
    stopRuns = true;
    await runLoop;
    agent.destroy();
    const inProgress = await runRow(db, runId);
    const health = await http('GET', `${apiUrl}/health/ready`);

    latencies.sort((a, b) => a - b);
    const fiveXx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
    const errorCount = [...errors.values()].reduce((a, n) => a + n, 0);
    const summary = {
      clients: CLIENTS,
      duration_s: Number(elapsed.toFixed(1)),
      requests: latencies.length,
      throughput_rps: Math.round(latencies.length / elapsed),
      latency_ms: {
        p50: Number(percentile(latencies, 50).toFixed(1)),
        p90: Number(percentile(latencies, 90).toFixed(1)),
        p99: Number(percentile(latencies, 99).toFixed(1)),
        max: Number((latencies[latencies.length - 1] ?? 0).toFixed(1)),
      },
      statuses: Object.fromEntries(statuses),
      five_xx: fiveXx,
      errors: Object.fromEntries(errors),
      batches_finished_in_window: runs.map((r) => `${r.status} in ${(r.ms / 1000).toFixed(1)} s`),
      batch_at_end: `${inProgress.status}${inProgress.current_phase ? ` (${inProgress.current_phase})` : ''}`,
      api_ready_after: health.status,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(
      `p50 ${summary.latency_ms.p50} ms, p99 ${summary.latency_ms.p99} ms, ${summary.throughput_rps} req/s, ${fiveXx} 5xx, ${errorCount} connection errors\n`,
    );
    process.exitCode = fiveXx > 0 || errorCount > 0 ? 1 : 0;
  } finally {
    if (api?.isAlive()) {
      api.kill('SIGTERM'); // a graceful stop (writes a --cpu-prof profile when asked for)
      await Promise.race([api.exited, new Promise((r) => setTimeout(r, 30_000))]);
    }
    await killAll();
    await db?.drop();
    cleanUpWorkDir();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});

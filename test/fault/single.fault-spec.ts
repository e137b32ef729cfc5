/**
 * One process (PROCESS_ROLE=all: API and worker) on its database, a book of
 * 2,000 portfolios, DEFAULT lease and heartbeat settings: SIGKILL during a
 * 10-day backfill and restart (the run is resumed), every PostgreSQL
 * connection terminated mid-run, SIGTERM mid-run (the run is handed over and
 * resumed by the restart), cancel during market data.
 */
import { createServer, Server } from 'node:http';
import type { Socket } from 'node:net';
import {
  ADMIN, cleanUpWorkDir, AppProcess, createFaultDatabase, DEFAULTS, duplicateResults, FaultDb, freePort, http, killAll, log, metric, resultCounts, runEvents, runRow,
  seedBook, signIn, sleep, startProcess, triggerAll, waitFor, waitForFinal, waitForPhaseProgress,
} from './harness';
import { BACKFILL, BACKFILL_DATES, DATES, PORTFOLIOS, RANGE, ROWS } from './book';

const TERMINATIONS = 5;
const EXIT_BOUND_MS = (8 + 10) * 1000;

describe('a single process (fault)', () => {
  let db: FaultDb;
  let app: AppProcess;
  let admin: { token: string };
  let owner: { token: string; id: string };
  let portfolioIds: string[];
  let seq = 0;
  const start = (env: Record<string, string> = {}) =>
    startProcess({ name: `app${++seq}`, role: 'all', db, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'info', ...env } });

  beforeAll(async () => {
    db = await createFaultDatabase('single');
    app = await start();
    ({ owner, admin } = await signIn(app));
    portfolioIds = await seedBook(db, owner.id, PORTFOLIOS, 3, BACKFILL.start_date);
  });

  afterAll(async () => {
    await killAll();
    await db?.drop();
    cleanUpWorkDir();
  });

  it('SIGKILL of the only process during a 10-day backfill: the restarted process takes the run over and it ends completed, every row once', async () => {
    const runId = await triggerAll(app, admin.token, BACKFILL);
    await waitFor('the backfill past its second date', async () => (await db.query<{ i: number }>(`SELECT current_date_index AS i FROM batch_runs WHERE id = $1`, [runId]))[0].i >= 2, 120_000, 50);
    const killedAt = app.kill('SIGKILL');
    await app.exited;
    const at = await db.query<{ i: number; phase: string; epoch: number }>(`SELECT current_date_index AS i, current_phase AS phase, epoch FROM batch_runs WHERE id = $1`, [runId]);
    expect((await runRow(db, runId)).status).toBe('running'); // nobody left to say otherwise
    const restartAt = Date.now();
    app = await start();
    const upMs = Date.now() - restartAt;
    const run = await waitForFinal(db, runId, 240_000);
    const taken = await runEvents(db, runId, 'run_taken_over');
    log(
      `only process SIGKILLed at date ${at[0].i + 1}/${BACKFILL_DATES} (${at[0].phase}, epoch ${at[0].epoch}); restarted in ${upMs} ms; ` +
        `run taken over ${taken[0] ? taken[0].at.getTime() - killedAt : '-'} ms after the kill (stale limit ${DEFAULTS.staleSeconds} s) and ${run.status} ` +
        `${run.finished_at!.getTime() - killedAt} ms after it`,
    );
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(taken).toHaveLength(1);
    expect(taken[0].details.epoch).toBe(at[0].epoch + 1);
    const c = await resultCounts(db, runId);
    const rows = PORTFOLIOS * BACKFILL_DATES;
    expect(c).toMatchObject({ results: PORTFOLIOS, completed: PORTFOLIOS, failed: 0, snapshots: rows, distinctSnapshots: rows, risk: rows, distinctRisk: rows });
    expect(await duplicateResults(db)).toEqual({ snapshots: 0, risk: 0 });
    expect(await runEvents(db, runId, 'run_finished')).toHaveLength(1);
  });

  it('every PostgreSQL connection terminated mid-run: the process reconnects, the run completes, the API answers again without a restart', async () => {
    const pid = app.pid;
    const startedAt = Date.now();
    const runId = await triggerAll(app, admin.token, RANGE);
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 200, 60_000);
    // every connection of the app, five times 300 ms apart, so some die with a statement in flight
    const killed: Array<{ n: number }> = [{ n: 0 }];
    for (let i = 0; i < TERMINATIONS; i++) {
      if (i) await sleep(300);
      const [r] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name NOT LIKE 'fault-harness%') t`,
        [db.name],
      );
      killed[0].n += r.n;
    }
    const terminatedAt = Date.now();
    const ready = await waitFor('GET /health/ready 200', async () => (await http('GET', `${app.url}/health/ready`)).status === 200, 30_000, 50);
    const readyMs = Date.now() - terminatedAt;
    const mine = await waitFor('an authenticated GET 200', async () => (await http('GET', `${app.url}/api/v1/portfolio`, { token: owner.token })).status === 200, 30_000, 50);
    const run = await waitForFinal(db, runId, 90_000);
    const finalMs = run.finished_at!.getTime() - terminatedAt;
    const errors = await metric(app, 'sigmasight_queue_errors_total');
    log(
      `terminated ${killed[0].n} backend(s) in ${TERMINATIONS} rounds: /health/ready 200 after ${readyMs} ms; run ${run.status}${run.error ? ` ("${run.error}")` : ''} ` +
        `${finalMs} ms after (run took ${run.finished_at!.getTime() - startedAt} ms in all); chunk takeovers ${(await runEvents(db, runId, 'chunk_taken_over')).length}; ` +
        `pg-boss errors logged: ${errors}; same pid: ${app.pid === pid && app.isAlive()}`,
    );
    expect(killed[0].n).toBeGreaterThan(0);
    expect(ready && mine).toBe(true);
    expect(app.isAlive()).toBe(true);
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(await resultCounts(db, runId)).toMatchObject({ results: PORTFOLIOS, completed: PORTFOLIOS, snapshots: ROWS, risk: ROWS, distinctRisk: ROWS });
    expect((await http('GET', `${app.url}/api/v1/portfolio/${portfolioIds[0]}/batch-runs`, { token: owner.token })).status).toBe(200);
    const next = await triggerAll(app, admin.token, RANGE);
    expect((await waitForFinal(db, next, 90_000)).status).toBe('completed');
  });

  it('SIGTERM of the only process mid-run: it exits 0 within the bound and hands its run over; the restarted process resumes it to completed', async () => {
    const runId = await triggerAll(app, admin.token, RANGE);
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 200, 60_000);
    const termAt = app.kill('SIGTERM');
    const exit = await app.exited;
    const handed = await db.query<{ status: string; coordinator: string | null }>(`SELECT status, coordinator FROM batch_runs WHERE id = $1`, [runId]);
    const stopLine = app.logs().split('\n').find((l) => l.includes('batch queue stopped')) ?? '{}';
    log(`only process SIGTERMed: exit code ${exit.code} after ${exit.at - termAt} ms (bound ${EXIT_BOUND_MS} ms); run ${handed[0].status}, coordinator ${handed[0].coordinator}; ${JSON.parse(stopLine).msg}`);
    expect(exit.code).toBe(0);
    expect(exit.at - termAt).toBeLessThan(EXIT_BOUND_MS);
    expect(handed[0]).toEqual({ status: 'running', coordinator: null }); // handed over, not failed
    const restartAt = Date.now();
    app = await start();
    const run = await waitForFinal(db, runId, 90_000);
    log(`restarted in ${Date.now() - restartAt} ms (to final); handed-over run ${run.status}`);
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(await runEvents(db, runId, 'run_taken_over')).toHaveLength(1);
    expect(await resultCounts(db, runId)).toMatchObject({ results: PORTFOLIOS, completed: PORTFOLIOS, snapshots: ROWS, risk: ROWS, distinctRisk: ROWS });
  });

  it('cancel during market_data (a provider that never answers): the answer says cancelled, the run is cancelled in one read, the step stops', async () => {
    // a market-data provider that accepts connections and never answers
    const sockets = new Set<Socket>();
    const provider: Server = createServer(() => undefined);
    provider.on('connection', (s) => sockets.add(s));
    const port = await freePort();
    await new Promise<void>((r) => provider.listen(port, '127.0.0.1', r));
    try {
      app.kill('SIGKILL');
      await app.exited;
      app = await start({ MARKET_DATA_PROVIDER: 'polygon', POLYGON_API_KEY: 'fault-key', POLYGON_BASE_URL: `http://127.0.0.1:${port}`, POLYGON_REQUESTS_PER_MINUTE: '100000' });
      const runId = await triggerAll(app, admin.token, { calculation_date: RANGE.end_date, force: true });
      await waitFor('the run in market_data', async () => {
        const r = await runRow(db, runId);
        return r.status === 'running' && r.current_phase === 'market_data';
      }, 30_000, 20);
      const asked = Date.now();
      const res = await http('POST', `${app.url}/api/v1/admin/batch/runs/${runId}/cancel`, { token: admin.token });
      const answeredMs = Date.now() - asked;
      const row = await runRow(db, runId);
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('cancelled');
      expect(row.status).toBe('cancelled');
      const stopped = await waitFor('the market-data step to stop', async () => app.logs().split('\n').find((l) => l.includes(`run ${runId}: market data stopped`)), 10_000, 20);
      const stoppedMs = Date.parse(JSON.parse(stopped).time) - asked;
      log(`cancel in market_data: answered ${answeredMs} ms (status ${res.body.status}); the step stopped ${stoppedMs} ms after the request`);
      expect(await runEvents(db, runId, 'cancel_requested')).toHaveLength(1);
      const finished = await runEvents(db, runId, 'run_finished');
      expect(finished.map((e) => e.details.status)).toEqual(['cancelled']);
      // nothing after the cancel moved the run
      expect(await runEvents(db, runId, 'phase_completed')).toEqual([]);
    } finally {
      for (const s of sockets) s.destroy();
      provider.close();
    }
  });
});

/**
 * One API process (PROCESS_ROLE=api, works no jobs) and three worker processes
 * on one PostgreSQL database, a book of 2,000 portfolios: a clean run, a worker
 * SIGKILLed mid-phase, a worker SIGTERMed while it holds chunks, and the
 * coordinating worker SIGTERMed.
 */
import {
  ADMIN, cleanUpWorkDir, AppProcess, chunkJobDurations, createFaultDatabase, FAULT_ENV, FaultDb, http, killAll, log, metric, resultCounts, runRow, processHealth, seedBook, signIn,
  startProcess, triggerAll, waitFor, waitForFinal, waitForPhaseProgress,
} from './harness';
import { DATES, PORTFOLIOS, RANGE, ROWS } from './book';

/** 20 chunks per phase: each lasts long enough (~200 ms) to be caught in hand by a signal. */
const CHUNK_SIZE = '100';
const GRACE_S = Number(FAULT_ENV.SHUTDOWN_GRACE_SECONDS);
const EXIT_BOUND_MS = (GRACE_S + 10) * 1000;

describe('1 API + 3 workers on one PostgreSQL (fault)', () => {
  let db: FaultDb;
  let api: AppProcess;
  let workers: AppProcess[] = [];
  let admin: { token: string };
  let owner: { token: string; id: string };
  let portfolioIds: string[];
  let workerSeq = 0;

  const startWorker = () => startProcess({ name: `worker${++workerSeq}`, role: 'worker', db, env: { LOG_LEVEL: 'info', BATCH_CHUNK_SIZE: CHUNK_SIZE } });
  const alive = () => workers.filter((w) => w.isAlive());

  /** The worker coordinating a run (it holds the batch-run job), from the workers' metrics. */
  async function coordinator(): Promise<AppProcess> {
    return waitFor('a coordinating worker', async () => {
      for (const w of alive()) if ((await metric(w, 'sigmasight_batch_runs_coordinated')) > 0) return w;
      return undefined;
    }, 10_000);
  }

  /**
   * A live worker other than `not` that took a chunk job less than `freshMs`
   * ago, so it still holds it when the signal lands (chunks take longer).
   */
  async function chunkHolder(not: AppProcess, freshMs = 40): Promise<AppProcess> {
    return waitFor('a non-coordinating worker that just took a chunk', async () => {
      for (const w of alive()) {
        if (w === not) continue;
        const h = await processHealth(w);
        if (h.jobs_in_flight.some((j) => j.queue === 'batch-chunk' && j.age_ms < freshMs)) return w;
      }
      return undefined;
    }, 30_000, 5);
  }

  beforeAll(async () => {
    db = await createFaultDatabase('cluster');
    api = await startProcess({ name: 'api', role: 'api', db, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, BATCH_CHUNK_SIZE: CHUNK_SIZE } });
    workers = await Promise.all([startWorker(), startWorker(), startWorker()]);
    ({ owner, admin } = await signIn(api));
    const t0 = Date.now();
    portfolioIds = await seedBook(db, owner.id, PORTFOLIOS, 3, RANGE.start_date);
    log(`seeded ${portfolioIds.length} portfolios x 3 positions in ${Date.now() - t0} ms`);
  });

  afterAll(async () => {
    await killAll();
    await db?.drop();
    cleanUpWorkDir();
  });

  it('runs a batch of 2,000 portfolios (4 trading days) across the workers: each processed once, run completed', async () => {
    const t0 = Date.now();
    const runId = await triggerAll(api, admin.token, RANGE);
    const run = await waitForFinal(db, runId, 120_000);
    log(`clean run (${PORTFOLIOS} portfolios x ${DATES} dates ${RANGE.start_date}..${RANGE.end_date}): ${run.status} in ${Date.now() - t0} ms`);
    expect(run).toMatchObject({ status: 'completed', error: null, portfolios_total: PORTFOLIOS });
    const c = await resultCounts(db, runId);
    log(`clean run rows: ${JSON.stringify(c)}`);
    expect(c).toMatchObject({ results: PORTFOLIOS, distinctResults: PORTFOLIOS, completed: PORTFOLIOS, failed: 0, snapshots: ROWS, distinctSnapshots: ROWS, risk: ROWS });
    // the chunks were spread: every worker finished some
    const perWorker = await Promise.all(workers.map((w) => metric(w, 'sigmasight_batch_jobs_total', 'queue="batch-chunk",outcome="completed"')));
    log(`chunk jobs completed per worker: ${perWorker.join(', ')}; chunks in run: ${c.chunks}; chunk job duration ${JSON.stringify(await chunkJobDurations(db, runId))} ms`);
    for (const n of perWorker) expect(n).toBeGreaterThan(0);
    // the API process worked none
    expect(await metric(api, 'sigmasight_batch_jobs_total', 'queue="batch-chunk",outcome="completed"')).toBe(0);
  });

  it('SIGKILL of a worker mid-phase: its chunk jobs are retried by the others after their lease, the run completes, no duplicates', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    const coord = await coordinator();
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 300, 60_000);
    const victim = await chunkHolder(coord);
    const killedAt = victim.kill('SIGKILL');
    await victim.exited;
    log(`SIGKILLed ${victim.name} (pid ${victim.pid}) holding chunk job(s); coordinator ${coord.name}`);
    const run = await waitForFinal(db, runId, 120_000);
    const finishedAfterKill = run.finished_at!.getTime() - killedAt;
    expect(run).toMatchObject({ status: 'completed', error: null });
    const c = await resultCounts(db, runId);
    expect(c).toMatchObject({ results: PORTFOLIOS, distinctResults: PORTFOLIOS, completed: PORTFOLIOS, failed: 0, snapshots: ROWS, distinctSnapshots: ROWS, risk: ROWS });
    // the same calculation date as the first run: its snapshots were replaced, never duplicated
    const [{ rows, distinct }] = await db.query(`SELECT count(*)::int AS rows, count(DISTINCT (portfolio_id, snapshot_date))::int AS distinct FROM portfolio_snapshots`);
    expect({ rows, distinct }).toEqual({ rows: ROWS, distinct: ROWS });
    // the dead worker's jobs: failed by pg-boss's maintenance once their lease ran out, then retried elsewhere
    const retried = await db.query<{ state: string; retry_count: number; completed_on: Date }>(
      `SELECT state, retry_count, completed_on FROM pgboss.job WHERE name = 'batch-chunk' AND data->>'runId' = $1 AND retry_count > 0`,
      [runId],
    );
    expect(retried.length).toBeGreaterThan(0);
    for (const j of retried) expect(j.state).toBe('completed');
    const recoveredMs = Math.max(...retried.map((j) => j.completed_on.getTime())) - killedAt;
    log(
      `worker kill: ${retried.length} chunk job(s) retried, last one done ${recoveredMs} ms after the kill ` +
        `(lease ${FAULT_ENV.BATCH_CHUNK_EXPIRE_SECONDS} s + maintenance); run completed ${finishedAfterKill} ms after the kill; ` +
        `chunk re-attempts ${c.chunkRetries}; rows ${JSON.stringify(c)}`,
    );
    expect(recoveredMs).toBeGreaterThanOrEqual(Number(FAULT_ENV.BATCH_CHUNK_EXPIRE_SECONDS) * 1000 - 2000);
    workers.push(await startWorker()); // back to three live workers
  });

  it('SIGTERM of a worker holding chunks: it takes no more jobs, finishes the ones in hand, exits 0 within the bound; the run completes', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    const coord = await coordinator();
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 300, 60_000);
    const victim = await chunkHolder(coord);
    const termAt = victim.kill('SIGTERM');
    const exit = await victim.exited;
    const exitMs = exit.at - termAt;
    log(`SIGTERMed ${victim.name} holding chunk job(s): exit code ${exit.code} after ${exitMs} ms (bound ${EXIT_BOUND_MS} ms)`);
    const stopLine = victim.logs().split('\n').find((l) => l.includes('batch queue stopped')) ?? '';
    log(`its log: ${JSON.parse(stopLine).msg}`);
    expect(stopLine).toMatch(/[1-9]\d* job\(s\) in hand at the signal, 0 still running/);
    expect(exit.code).toBe(0);
    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    const run = await waitForFinal(db, runId, 120_000);
    expect(run).toMatchObject({ status: 'completed', error: null });
    const c = await resultCounts(db, runId);
    expect(c).toMatchObject({ results: PORTFOLIOS, distinctResults: PORTFOLIOS, completed: PORTFOLIOS, snapshots: ROWS, risk: ROWS });
    // graceful: what it held was finished, not left to expire (no job of this run failed or was retried)
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'runId' = $1 AND retry_count > 0`, [runId]);
    log(`graceful worker stop: retried jobs of the run: ${n}`);
    expect(n).toBe(0);
    workers.push(await startWorker());
  });

  it('SIGTERM of the coordinating worker: the run ends failed ("interrupted: process shutting down") as the process exits, and a new run is accepted', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    const coord = await coordinator();
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 200, 60_000);
    const termAt = coord.kill('SIGTERM');
    const exit = await coord.exited;
    const exitMs = exit.at - termAt;
    const run = await runRow(db, runId); // read right after the exit: no sweep involved
    log(`SIGTERMed coordinator ${coord.name}: exit code ${exit.code} after ${exitMs} ms; run ${run.status}: ${run.error}`);
    expect(exit.code).toBe(0);
    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    expect(run).toMatchObject({ status: 'failed', error: 'interrupted: process shutting down' });
    expect(run.finished_at!.getTime()).toBeLessThanOrEqual(exit.at);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM batch_runs WHERE status IN ('queued','running')`);
    expect(n).toBe(0);
    // its portfolios are free again at once
    const next = await http('POST', `${api.url}/api/v1/portfolio/${portfolioIds[0]}/calculate`, { token: owner.token, body: {} });
    expect(next.status).toBe(202);
    const done = await waitForFinal(db, next.body.batch_run_id, 60_000);
    expect(done.status).toBe('completed');
  });
});

/**
 * One process (PROCESS_ROLE=all: API and worker) on its database, a book of
 * 2,000 portfolios: SIGKILL mid-run and restart, every PostgreSQL connection
 * terminated mid-run, SIGTERM mid-run.
 */
import {
  ADMIN, cleanUpWorkDir, AppProcess, createFaultDatabase, FAULT_ENV, FaultDb, http, killAll, log, metric, resultCounts, runRow, seedBook, signIn, sleep, startProcess,
  triggerAll, waitFor, waitForFinal, waitForPhaseProgress,
} from './harness';
import { DATES, PORTFOLIOS, RANGE, ROWS } from './book';

const STALE_MS = Number(FAULT_ENV.BATCH_STALE_SECONDS) * 1000;
const SWEEP_EVERY_MS = STALE_MS / 4;
const TERMINATIONS = 5;
const EXIT_BOUND_MS = (Number(FAULT_ENV.SHUTDOWN_GRACE_SECONDS) + 10) * 1000;

describe('a single process (fault)', () => {
  let db: FaultDb;
  let app: AppProcess;
  let admin: { token: string };
  let owner: { token: string; id: string };
  let portfolioIds: string[];
  let seq = 0;
  const start = () =>
    startProcess({ name: `app${++seq}`, role: 'all', db, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'info' } });

  beforeAll(async () => {
    db = await createFaultDatabase('single');
    app = await start();
    ({ owner, admin } = await signIn(app));
    portfolioIds = await seedBook(db, owner.id, PORTFOLIOS, 3, RANGE.start_date);
  });

  afterAll(async () => {
    await killAll();
    await db?.drop();
    cleanUpWorkDir();
  });

  it('SIGKILL of the only process mid-run: after a restart the run is marked failed ("abandoned: heartbeat lost") within the stale limit, and a new trigger is accepted', async () => {
    const runId = await triggerAll(app, admin.token, RANGE);
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 200, 60_000);
    const killedAt = app.kill('SIGKILL');
    await app.exited;
    const lastBeat = (await runRow(db, runId)).heartbeat_at!.getTime();
    expect((await runRow(db, runId)).status).toBe('running'); // nobody left to say otherwise
    // while it still looks alive, the run holds its portfolios
    const restartAt = Date.now();
    app = await start();
    const upMs = Date.now() - restartAt;
    const blocked = await http('POST', `${app.url}/api/v1/admin/batch/run`, { token: admin.token, body: {} });
    const run = await waitForFinal(db, runId, STALE_MS * 3);
    const failedAt = run.finished_at!.getTime();
    log(
      `only process SIGKILLed: restarted in ${upMs} ms; trigger before the sweep: ${blocked.status}; run ${run.status} ("${run.error}") ` +
        `${failedAt - killedAt} ms after the kill, ${failedAt - lastBeat} ms after its last heartbeat (stale limit ${STALE_MS} ms, sweep every ${SWEEP_EVERY_MS} ms)`,
    );
    expect(run).toMatchObject({ status: 'failed', error: 'abandoned: heartbeat lost' });
    expect(failedAt - lastBeat).toBeGreaterThanOrEqual(STALE_MS - 500);
    // detected by the next sweep after the limit (every STALE/4), or by the restart's own start-up sweep; 2.5 s slack for a busy machine
    expect(failedAt - lastBeat).toBeLessThanOrEqual(Math.max(STALE_MS + SWEEP_EVERY_MS, upMs) + 2500);
    if (blocked.status === 202) await waitForFinal(db, blocked.body.batch_run_id, 60_000); // the restart took longer than the stale limit
    else expect(blocked.status).toBe(409);
    const t0 = Date.now();
    const next = await triggerAll(app, admin.token, RANGE);
    const done = await waitForFinal(db, next, 90_000);
    log(`a new run after the restart: ${done.status} in ${Date.now() - t0} ms (one process, ${PORTFOLIOS} portfolios x ${DATES} dates)`);
    expect(done.status).toBe('completed');
    const c = await resultCounts(db, next);
    expect(c).toMatchObject({ results: PORTFOLIOS, completed: PORTFOLIOS, snapshots: ROWS, risk: ROWS });
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
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) t`,
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
    const [retried] = await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'runId' = $1 AND retry_count > 0`, [runId]);
    log(
      `terminated ${killed[0].n} backend(s) in ${TERMINATIONS} rounds: /health/ready 200 after ${readyMs} ms; run ${run.status}${run.error ? ` ("${run.error}")` : ''} ` +
        `${finalMs} ms after (run took ${run.finished_at!.getTime() - startedAt} ms in all); chunk jobs retried: ${retried.n}; ` +
        `pg-boss errors logged: ${errors}; same pid: ${app.pid === pid && app.isAlive()}`,
    );
    expect(killed[0].n).toBeGreaterThan(0);
    expect(ready && mine).toBe(true);
    expect(app.isAlive()).toBe(true);
    // the coordinator retries its statements while the pool reconnects; chunk jobs that died are retried by pg-boss
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(await resultCounts(db, runId)).toMatchObject({ results: PORTFOLIOS, completed: PORTFOLIOS, snapshots: ROWS, risk: ROWS });
    expect((await http('GET', `${app.url}/api/v1/portfolio/${portfolioIds[0]}/batch-runs`, { token: owner.token })).status).toBe(200);
    // the queue works again too: a new run goes through end to end
    const next = await triggerAll(app, admin.token, RANGE);
    expect((await waitForFinal(db, next, 90_000)).status).toBe('completed');
  });

  it('SIGTERM of the only process mid-run: it exits 0 within the bound, its run is failed ("interrupted: process shutting down"), nothing is left running', async () => {
    const runId = await triggerAll(app, admin.token, RANGE);
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 200, 60_000);
    const termAt = app.kill('SIGTERM');
    const exit = await app.exited;
    const run = await runRow(db, runId); // right after the exit: no other process, no sweep
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM batch_runs WHERE status IN ('queued','running')`);
    const stopLine = app.logs().split('\n').find((l) => l.includes('batch queue stopped')) ?? '{}';
    log(`only process SIGTERMed: exit code ${exit.code} after ${exit.at - termAt} ms (bound ${EXIT_BOUND_MS} ms); run ${run.status} ("${run.error}"); ${JSON.parse(stopLine).msg}`);
    expect(exit.code).toBe(0);
    expect(exit.at - termAt).toBeLessThan(EXIT_BOUND_MS);
    expect(run).toMatchObject({ status: 'failed', error: 'interrupted: process shutting down' });
    expect(n).toBe(0);
    // and a restart accepts a new run at once
    app = await start();
    const next = await http('POST', `${app.url}/api/v1/portfolio/${portfolioIds[1]}/calculate`, { token: owner.token, body: {} });
    expect(next.status).toBe(202);
    expect((await waitForFinal(db, next.body.batch_run_id, 60_000)).status).toBe('completed');
  });
});

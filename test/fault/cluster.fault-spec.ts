/**
 * One API process (PROCESS_ROLE=api, works no jobs) and three worker processes
 * on one PostgreSQL database, a book of 2,000 portfolios, DEFAULT lease and
 * heartbeat settings: the spread over the workers, a worker SIGKILLed
 * mid-phase, the coordinator frozen (SIGSTOP) and woken, a slow but live
 * worker, a worker SIGTERMed while it holds chunks, and the coordinator
 * SIGTERMed (its run handed over).
 */
import {
  ADMIN, cleanUpWorkDir, AppProcess, createFaultDatabase, DEFAULTS, duplicateResults, FAULT_ENV, FaultDb, http, killAll, log, pidOf,
  portfoliosByProcess, resultCounts, runEvents, runRow, seedBook, signIn, sleep, startProcess, triggerAll, waitFor, waitForFinal, waitForPhaseProgress,
} from './harness';
import { DATES, PORTFOLIOS, RANGE, ROWS } from './book';

/** 20 chunks per phase, several per worker slot: each lasts long enough (~200 ms) to be caught in hand by a signal. */
const CHUNK_SIZE = '100';
const GRACE_S = Number(FAULT_ENV.SHUTDOWN_GRACE_SECONDS);
const EXIT_BOUND_MS = (GRACE_S + 10) * 1000;
/** The recovery SLA the issue asks to prove for a SIGKILLed worker, with default settings. */
const WORKER_KILL_SLA_MS = 20_000;

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
  const byPid = (pid: number | null) => alive().find((w) => w.pid === pid);
  const expectExactResults = async (runId: string) => {
    const c = await resultCounts(db, runId);
    expect(c).toMatchObject({ results: PORTFOLIOS, distinctResults: PORTFOLIOS, completed: PORTFOLIOS, failed: 0, snapshots: ROWS, distinctSnapshots: ROWS, risk: ROWS, distinctRisk: ROWS });
    expect(await duplicateResults(db)).toEqual({ snapshots: 0, risk: 0 });
    return c;
  };

  /** The worker coordinating a run (batch_runs.coordinator). */
  async function coordinator(runId: string): Promise<AppProcess> {
    return waitFor('a coordinating worker', async () => byPid(pidOf((await db.query<{ c: string | null }>(`SELECT coordinator AS c FROM batch_runs WHERE id = $1`, [runId]))[0]?.c ?? null)), 10_000, 20);
  }

  /** A live worker other than `not` holding a live lease on a pending chunk of the run. */
  async function leaseHolder(runId: string, not: AppProcess | null): Promise<AppProcess> {
    return waitFor('a worker holding a chunk lease', async () => {
      const rows = await db.query<{ owner: string }>(
        `SELECT DISTINCT lease_owner AS owner FROM batch_run_chunks WHERE batch_run_id = $1 AND status = 'pending' AND lease_owner IS NOT NULL AND lease_expires_at > now()`,
        [runId],
      );
      for (const r of rows) {
        const w = byPid(pidOf(r.owner));
        if (w && w !== not) return w;
      }
      return undefined;
    }, 30_000, 5);
  }

  /**
   * Holds the run's risk writes (the test takes `LOCK TABLE portfolio_risk IN SHARE MODE`) so a run cannot
   * finish before a takeover has happened, however fast the machine; the live workers keep their leases.
   */
  async function holdRiskWrites(): Promise<() => Promise<void>> {
    const locker = await db.connect();
    await locker.query(`SET lock_timeout = '10s'`);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE portfolio_risk IN SHARE MODE');
    return async () => {
      await locker.query('COMMIT').catch(() => undefined);
      locker.release();
    };
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

  it('runs a batch of 2,000 portfolios (4 trading days) across the workers: each processed once, each worker took >= 20% of the work', async () => {
    const t0 = Date.now();
    const runId = await triggerAll(api, admin.token, RANGE);
    const run = await waitForFinal(db, runId, 240_000);
    log(`clean run (${PORTFOLIOS} portfolios x ${DATES} dates ${RANGE.start_date}..${RANGE.end_date}): ${run.status} in ${Date.now() - t0} ms`);
    expect(run).toMatchObject({ status: 'completed', error: null, portfolios_total: PORTFOLIOS });
    const c = await expectExactResults(runId);
    // the spread, from the chunk rows' lease owners: every worker took at least a fifth of the portfolio-chunks
    const spread = await portfoliosByProcess(db, runId);
    const total = [...spread.values()].reduce((a, n) => a + n, 0);
    const shares = workers.map((w) => (spread.get(w.pid) ?? 0) / total);
    log(`portfolio-chunks per worker: ${workers.map((w) => `${w.name} ${spread.get(w.pid) ?? 0}`).join(', ')} of ${total} (${shares.map((s) => `${(s * 100).toFixed(1)}%`).join(', ')}); chunks ${c.chunks}`);
    expect(total).toBe(PORTFOLIOS * DATES * 2);
    for (const share of shares) expect(share).toBeGreaterThanOrEqual(0.2);
    // the API process worked none
    expect(spread.get(api.pid)).toBeUndefined();
  });

  it('SIGKILL of a worker mid-phase: its chunk is taken over after its lease, the run completes within 20 s of the kill, one snapshot and one risk row per portfolio and date', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    const coord = await coordinator(runId);
    // on the run's last date: what follows the kill is the recovery, not the days still to book
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 300, 120_000, DATES - 1);
    const victim = await leaseHolder(runId, coord);
    const killedAt = victim.kill('SIGKILL');
    await victim.exited;
    log(`SIGKILLed ${victim.name} (pid ${victim.pid}) holding a chunk lease; coordinator ${coord.name}`);
    const run = await waitForFinal(db, runId, 240_000);
    const finishedAfterKillMs = run.finished_at!.getTime() - killedAt;
    const takenOver = await runEvents(db, runId, 'chunk_taken_over');
    log(`worker kill: run ${run.status} ${finishedAfterKillMs} ms after the kill (SLA ${WORKER_KILL_SLA_MS} ms, lease ${DEFAULTS.leaseSeconds} s); ` +
      `chunk_taken_over events ${takenOver.length}, first ${takenOver[0] ? takenOver[0].at.getTime() - killedAt : '-'} ms after the kill`);
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(finishedAfterKillMs).toBeLessThan(WORKER_KILL_SLA_MS);
    expect(takenOver.length).toBeGreaterThan(0);
    for (const e of takenOver) expect(pidOf(e.details.previous_owner)).toBe(victim.pid);
    await expectExactResults(runId);
    workers.push(await startWorker()); // back to three live workers
  });

  it('a frozen coordinator (SIGSTOP) is taken over under a new epoch; woken (SIGCONT) its stale completions and coordinator writes are fenced; the run completes once', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    const coord = await coordinator(runId);
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 200, 60_000);
    // freeze it while it holds a chunk lease: that chunk's completion, when it wakes, must write nothing
    const heldSql = `SELECT calculation_date AS d, phase, chunk_index AS i FROM batch_run_chunks WHERE batch_run_id = $1 AND status = 'pending' AND lease_owner LIKE $2`;
    await waitFor('the coordinator holding a chunk lease', async () => (await db.query(heldSql, [runId, `%:${coord.pid}:%`])).length > 0, 30_000, 2);
    // the two live workers could finish the run before the stale limit and a sweep have passed
    const release = await holdRiskWrites();
    let stoppedAt: number;
    let held: Array<{ d: Date; phase: string; i: number }>;
    let before: number;
    let taken: { at: Date };
    try {
      stoppedAt = coord.kill('SIGSTOP');
      held = await db.query<{ d: Date; phase: string; i: number }>(heldSql, [runId, `%:${coord.pid}:%`]);
      [{ epoch: before }] = await db.query<{ epoch: number }>(`SELECT epoch FROM batch_runs WHERE id = $1`, [runId]);
      // another worker takes the run over, and the frozen process's chunk leases are taken over too
      taken = await waitFor('run_taken_over', async () => (await runEvents(db, runId, 'run_taken_over'))[0], 60_000, 100);
      await waitFor('no live lease of the frozen process', async () => (await db.query(heldSql, [runId, `%:${coord.pid}:%`])).length === 0, 30_000, 100);
    } finally {
      await release();
    }
    const [{ epoch: after, coordinator: owner }] = await db.query<{ epoch: number; coordinator: string }>(`SELECT epoch, coordinator FROM batch_runs WHERE id = $1`, [runId]);
    const contAt = coord.kill('SIGCONT');
    log(`SIGSTOPped coordinator ${coord.name} holding ${held.length} chunk(s); run taken over ${taken.at.getTime() - stoppedAt} ms later by pid ${pidOf(owner)} (epoch ${before} -> ${after}); SIGCONT after ${contAt - stoppedAt} ms`);
    expect(after).toBe(before + 1);
    expect(pidOf(owner)).not.toBe(coord.pid);
    expect(held.length).toBeGreaterThan(0);
    const run = await waitForFinal(db, runId, 240_000);
    expect(run).toMatchObject({ status: 'completed', error: null });
    // the woken process notices at its next heartbeat that the run is no longer its own
    await waitFor('the woken coordinator to stand down', async () => coord.logs().includes(`run ${runId}: no longer ours`), 20_000, 100);
    // the chunks it held when frozen were completed by their new owners, never by it (its completions were fenced)
    for (const h of held) {
      const [c] = await db.query<{ owner: string; attempts: number; status: string }>(
        `SELECT lease_owner AS owner, attempts, status FROM batch_run_chunks WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3 AND chunk_index = $4`,
        [runId, h.d, h.phase, h.i],
      );
      expect(c.status).toBe('completed');
      expect(pidOf(c.owner)).not.toBe(coord.pid);
      expect(c.attempts).toBeGreaterThanOrEqual(2);
    }
    // no coordinator write of it after the wake-up: the epoch and owner stayed, no run-level event came from it
    const [{ epoch: final, coordinator: finalOwner }] = await db.query<{ epoch: number; coordinator: string }>(`SELECT epoch, coordinator FROM batch_runs WHERE id = $1`, [runId]);
    expect({ final, finalOwner }).toEqual({ final: after, finalOwner: owner });
    const late = await db.query(
      `SELECT kind FROM batch_run_events WHERE batch_run_id = $1 AND process LIKE $2 AND at > to_timestamp($3 / 1000.0) AND kind IN ('run_started', 'run_taken_over', 'market_data_issue', 'chunk_completed')`,
      [runId, `%:${coord.pid}`, contAt],
    );
    const fencedLog = coord.logs().split('\n').filter((l) => l.includes('lease lost') || l.includes('lost the lease')).length;
    log(`after SIGCONT: ${late.length} run-level event(s) or stale completion(s) from it; fenced completions/renewals logged: ${fencedLog}`);
    expect(late.filter((e) => e.kind !== 'chunk_completed')).toEqual([]);
    expect(await runEvents(db, runId, 'run_finished')).toHaveLength(1);
    await expectExactResults(runId);
  });

  it('a slow but live worker (its chunk blocked on a lock longer than the lease) keeps its lease: no takeover, one attempt per chunk', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    let heldMs = 0;
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 1, 60_000);
    // the risk upserts of the first date wait on this lock; the workers stay alive and keep renewing
    const release = await holdRiskWrites();
    try {
      const t0 = Date.now();
      await waitFor('risk chunks in hand', async () => {
        const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM batch_run_chunks WHERE batch_run_id = $1 AND phase = 'risk_analytics' AND status = 'pending' AND lease_owner IS NOT NULL`, [runId]);
        return r.n > 0;
      }, 60_000, 50);
      await sleep((DEFAULTS.leaseSeconds + 4) * 1000); // longer than a lease plus a sweep interval
      heldMs = Date.now() - t0;
    } finally {
      await release();
    }
    const run = await waitForFinal(db, runId, 240_000);
    const [{ attempts }] = await db.query<{ attempts: number }>(`SELECT max(attempts)::int AS attempts FROM batch_run_chunks WHERE batch_run_id = $1`, [runId]);
    const takeovers = await runEvents(db, runId, 'chunk_taken_over');
    log(`slow worker: risk upserts blocked ${heldMs} ms (lease ${DEFAULTS.leaseSeconds} s); run ${run.status}; chunk takeovers ${takeovers.length}; max attempts ${attempts}`);
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(takeovers).toEqual([]);
    expect(attempts).toBe(1);
    await expectExactResults(runId);
  });

  it('SIGTERM of a worker holding chunks: it takes no more jobs, finishes the ones in hand, exits 0 within the bound; the run completes', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    const coord = await coordinator(runId);
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 300, 60_000);
    const victim = await leaseHolder(runId, coord);
    const termAt = victim.kill('SIGTERM');
    const exit = await victim.exited;
    const exitMs = exit.at - termAt;
    const stopLine = victim.logs().split('\n').find((l) => l.includes('batch queue stopped')) ?? '{}';
    log(`SIGTERMed ${victim.name} holding chunk(s): exit code ${exit.code} after ${exitMs} ms (bound ${EXIT_BOUND_MS} ms); its log: ${JSON.parse(stopLine).msg}`);
    expect(exit.code).toBe(0);
    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    const run = await waitForFinal(db, runId, 240_000);
    expect(run).toMatchObject({ status: 'completed', error: null });
    await expectExactResults(runId);
    // graceful: what it held was finished, not taken over
    expect(await runEvents(db, runId, 'chunk_taken_over')).toEqual([]);
    workers.push(await startWorker());
  });

  it('SIGTERM of the coordinating worker: it exits 0 within the bound and hands the run over; another worker takes it over and completes it', async () => {
    const runId = await triggerAll(api, admin.token, RANGE);
    const coord = await coordinator(runId);
    await waitForPhaseProgress(db, runId, 'pnl_snapshots', 200, 60_000);
    // the live workers could finish the run before the next sweep takes the handed-over run
    const release = await holdRiskWrites();
    let exit: { code: number | null; at: number };
    try {
      const termAt = coord.kill('SIGTERM');
      exit = await coord.exited;
      log(`SIGTERMed coordinator ${coord.name}: exit code ${exit.code} after ${exit.at - termAt} ms`);
      expect(exit.code).toBe(0);
      expect(exit.at - termAt).toBeLessThan(EXIT_BOUND_MS);
      await waitFor('run_taken_over', async () => (await runEvents(db, runId, 'run_taken_over'))[0], 30_000, 100);
    } finally {
      await release();
    }
    const run = await waitForFinal(db, runId, 240_000);
    const taken = await runEvents(db, runId, 'run_taken_over');
    log(`handed-over run ${run.status} ${run.finished_at!.getTime() - exit.at} ms after the exit; taken over ${taken[0] ? taken[0].at.getTime() - exit.at : '-'} ms after it`);
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(taken).toHaveLength(1);
    await expectExactResults(runId);
    // and the next run goes through
    const next = await http('POST', `${api.url}/api/v1/portfolio/${portfolioIds[0]}/calculate`, { token: owner.token, body: {} });
    expect(next.status).toBe(202);
    expect((await waitForFinal(db, next.body.batch_run_id, 60_000)).status).toBe('completed');
  });
});

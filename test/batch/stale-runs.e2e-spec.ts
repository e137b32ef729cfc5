import request from 'supertest';
import { BatchOrchestrator } from '../../src/batch/batch-orchestrator';
import { BatchProcess } from '../../src/batch/batch-process';
import { BatchRunTracker, MAX_TAKEOVERS } from '../../src/batch/batch-run-tracker';
import { RunStateRepository } from '../../src/batch/run-state.repository';
import { NOTHING, RUN_ROW_LOCK_WAIT_MS, RunAdvancer } from '../../src/batch/run-advancer';
import { retryOnDropped } from '../../src/batch/db-retry';
import { ChunkLeaseRepository } from '../../src/batch/chunk-lease.repository';
import { DataSource } from 'typeorm';
import type { BatchRunId } from '../../src/common/branded';
import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, hold, sql, startPeerApp, stockBook, until, waitForRun, waitForRunState } from '../helpers/batch-helpers';

/**
 * DESIGN §10 "resume instead of fail": a running run whose coordinator's
 * heartbeat is older than the stale limit is taken over by a live process
 * under a new fencing epoch (by the sweep, or at start-up) and continued from
 * its durable state; the old coordinator can write nothing; "abandoned" is
 * left for runs no process can continue. The periodic sweep is stopped here
 * so each test calls `sweep()` itself.
 */
describe('stale runs are taken over and resumed (e2e)', () => {
  let t: TestApp;
  let tracker: BatchRunTracker;
  let admin: { token: string; email: string };
  let owner: { token: string };
  let p1: string;

  beforeAll(async () => {
    t = await startTestApp({ BATCH_HEARTBEAT_SECONDS: '1', BATCH_STALE_SECONDS: '10' });
    tracker = t.app.get(BatchRunTracker);
    tracker.onApplicationShutdown(); // stop the interval: the tests sweep explicitly
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    p1 = await createPortfolioWith(t, owner.token, stockBook('AAPL'), 'One');
  });
  afterAll(() => t.close());

  const calculate = (id: string) => request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(owner.token)).send({ calculation_date: '2025-06-02' });
  const events = async (id: string, kind: string) => sql(t, `SELECT process, details FROM batch_run_events WHERE batch_run_id = $1 AND kind = $2 ORDER BY id`, [id, kind]);

  /** A 'running' row as a process that died would have left it (its portfolio set included). */
  async function insertDeadRun(portfolioId: string | null, heartbeatAgo: string, takeovers = 0): Promise<string> {
    const [row] = await sql(
      t,
      `INSERT INTO batch_runs (status, trigger, triggered_by, portfolio_id, calculation_dates, phases, started_at, heartbeat_at, current_phase, created_at, epoch, coordinator, takeovers)
       VALUES ('running', 'admin', 'dead-process', $1, ARRAY['2025-06-02']::date[], '[]', now() - $2::interval, now() - $2::interval, NULL, now() - $2::interval, 1, 'dead-host:1:000000', $3)
       RETURNING id`,
      [portfolioId, heartbeatAgo, takeovers],
    );
    await sql(t, `INSERT INTO batch_run_portfolios (batch_run_id, portfolio_id) SELECT $1, id FROM portfolios WHERE $2::uuid IS NULL OR id = $2::uuid`, [row.id, portfolioId]);
    await sql(t, `UPDATE batch_runs SET portfolios_total = (SELECT count(*) FROM batch_run_portfolios WHERE batch_run_id = $1) WHERE id = $1`, [row.id]);
    return row.id;
  }

  it('a running row with an old heartbeat blocks its portfolio until the sweep takes it over; the run resumes and completes', async () => {
    const dead = await insertDeadRun(p1, '1 hour');
    const blocked = await calculate(p1).expect(409);
    expect(blocked.body.batch_run_id).toBe(dead);

    expect(await tracker.sweep()).toEqual([dead]);
    const run = await waitForRun(t, admin.token, dead);
    expect(run).toMatchObject({ status: 'completed', error: null, portfolios: { total: 1, completed: 1, failed: 0 } });
    const [state] = await sql(t, `SELECT epoch, coordinator, takeovers FROM batch_runs WHERE id = $1`, [dead]);
    expect(state).toEqual({ epoch: 2, coordinator: t.app.get(BatchProcess).id, takeovers: 1 });
    const taken = await events(dead, 'run_taken_over');
    expect(taken).toHaveLength(1);
    expect(taken[0].details).toMatchObject({ previous_coordinator: 'dead-host:1:000000', epoch: 2 });
    expect(await events(dead, 'run_finished')).toHaveLength(1);
    const [rows] = await sql(t, `SELECT (SELECT count(*) FROM portfolio_snapshots WHERE batch_run_id = $1)::int AS s, (SELECT count(*) FROM portfolio_risk WHERE batch_run_id = $1)::int AS r`, [dead]);
    expect(rows.r).toBe(1);
    expect(rows.s).toBeGreaterThan(0);
    // a second sweep finds nothing: final runs are never touched
    expect(await tracker.sweep()).toEqual([]);
  });

  it('a heartbeat within the stale limit is left alone', async () => {
    const alive = await insertDeadRun(null, '3 seconds');
    expect(await tracker.sweep()).toEqual([]);
    expect((await sql(t, `SELECT status, epoch FROM batch_runs WHERE id = $1`, [alive]))[0]).toEqual({ status: 'running', epoch: 1 });
    await sql(t, `UPDATE batch_runs SET heartbeat_at = now() - interval '11 seconds' WHERE id = $1`, [alive]);
    expect(await tracker.sweep()).toEqual([alive]);
    expect((await waitForRun(t, admin.token, alive)).status).toBe('completed');
  });

  it('taking over a run whose epoch moved on is refused', async () => {
    const dead = await insertDeadRun(null, '1 hour');
    const states = t.app.get(RunStateRepository);
    // the run is at epoch 1: a takeover naming epoch 0 (a stale view) is refused and changes nothing
    expect(await states.takeOver(dead as BatchRunId, 0, 'late-process')).toBeNull();
    expect((await sql(t, `SELECT epoch, coordinator FROM batch_runs WHERE id = $1`, [dead]))[0]).toEqual({ epoch: 1, coordinator: 'dead-host:1:000000' });
    expect(await tracker.sweep()).toEqual([dead]);
    expect((await waitForRun(t, admin.token, dead)).status).toBe('completed');
    // and once taken over (epoch 2), the epoch seen before is refused too
    expect(await states.takeOver(dead as BatchRunId, 1, 'late-process')).toBeNull();
  });

  it('a run taken over too often is abandoned (no process can finish it)', async () => {
    const dead = await insertDeadRun(null, '1 hour', MAX_TAKEOVERS);
    expect(await tracker.sweep()).toEqual([dead]);
    const run = await request(t.http).get(`${API}/admin/batch/runs/${dead}`).set(bearer(admin.token)).expect(200);
    expect(run.body).toMatchObject({ status: 'failed', error: `abandoned: taken over ${MAX_TAKEOVERS} times without finishing` });
  });

  it('a live run whose coordinator went silent is taken over by another process; the old coordinator stands down and the run completes once', async () => {
    const held = hold(t.app.get(SnapshotPhase), 'process');
    const peer = await startPeerApp(t, { BATCH_HEARTBEAT_SECONDS: '1', BATCH_STALE_SECONDS: '10' });
    peer.app.get(BatchRunTracker).onApplicationShutdown();
    let id = '';
    try {
      const res = await calculate(p1).expect(202);
      id = res.body.batch_run_id;
      await held.entered;
      await waitForRunState(t, admin.token, id, (r) => r.status === 'running' && r.current_phase === 'pnl_snapshots');
      // its coordinator froze: the heartbeat stops being written (a beat may land between the two statements, so retry)
      let taken: string[] = [];
      for (let i = 0; i < 5 && !taken.includes(id); i++) {
        await sql(t, `UPDATE batch_runs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [id]);
        taken = await peer.app.get(BatchRunTracker).sweep();
      }
      expect(taken).toEqual([id]);
      const [state] = await sql(t, `SELECT status, epoch, coordinator FROM batch_runs WHERE id = $1`, [id]);
      expect(state).toEqual({ status: 'running', epoch: 2, coordinator: peer.app.get(BatchProcess).id });
      // the old coordinator learns it at its next heartbeat and stands down
      const orchestrator = t.app.get(BatchOrchestrator);
      await until(() => !orchestrator.coordinatedRuns().includes(id as BatchRunId), 'the old coordinator to stand down');
      expect(peer.app.get(BatchOrchestrator).coordinatedRuns()).toContain(id);
      // its worker is alive and keeps its chunk lease: the chunk is not robbed, and completes the run
      held.release();
      const run = await waitForRun(t, admin.token, id);
      expect(run).toMatchObject({ status: 'completed', error: null });
      expect(await events(id, 'run_taken_over')).toHaveLength(1);
      expect(await events(id, 'run_finished')).toHaveLength(1);
      expect(await events(id, 'chunk_taken_over')).toHaveLength(0);
      const [{ attempts }] = await sql(t, `SELECT max(attempts)::int AS attempts FROM batch_run_chunks WHERE batch_run_id = $1`, [id]);
      expect(attempts).toBe(1);
    } finally {
      held.release();
      await peer.close();
    }
  });

  it('start-up takes over runs left by dead processes and resumes them', async () => {
    const dead = await insertDeadRun(null, '2 hours');
    const peer = await startPeerApp(t, { BATCH_HEARTBEAT_SECONDS: '1', BATCH_STALE_SECONDS: '10' });
    try {
      const [state] = await sql(t, `SELECT epoch, coordinator FROM batch_runs WHERE id = $1`, [dead]);
      expect(state).toEqual({ epoch: 2, coordinator: peer.app.get(BatchProcess).id });
      expect((await waitForRun(t, admin.token, dead)).status).toBe('completed');
    } finally {
      await peer.close();
    }
  });

  // on the PostgreSQL server only: PGlite serves one connection at a time, so the second would never get in to wait
  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    `a step waits for the run row at most ${RUN_ROW_LOCK_WAIT_MS} ms (a frozen holder's queued requests are not granted it later); the retry goes through once the row is free`,
    async () => {
      const runId = (await insertDeadRun(null, '2 seconds')) as BatchRunId;
      const holder = t.app.get(DataSource).createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      await holder.query(`SELECT 1 FROM batch_runs WHERE id = $1 FOR UPDATE`, [runId]);
      const retries: unknown[] = [];
      let steps = 0;
      try {
        // the first wait ends in lock_timeout (55P03); the row is freed then, and the retry takes it
        await retryOnDropped(() => t.app.get(RunAdvancer).locked(runId, async () => (steps++, NOTHING)), 60_000, (e) => {
          retries.push((e as { code?: string }).code);
          void holder.rollbackTransaction();
        });
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
        await sql(t, `UPDATE batch_runs SET status = 'failed', finished_at = now(), error = 'test over' WHERE id = $1`, [runId]);
      }
      expect(retries).toEqual(['55P03']);
      expect(steps).toBe(1);
    },
  );

  it('the lease sweep re-enqueues a dead worker\'s chunk and, with it, the run\'s chunks not claimed yet (their jobs may have died with it); a run without an expired lease is left alone', async () => {
    const dead = await insertDeadRun(null, '2 seconds');
    const calm = await insertDeadRun(p1, '2 seconds');
    const chunk = (run: string, index: number, owner: string | null, expires: string) =>
      sql(t, `INSERT INTO batch_run_chunks (batch_run_id, calculation_date, phase, chunk_index, portfolio_ids, lease_owner, lease_expires_at, attempts)
              VALUES ($1, '2025-06-02', 'pnl_snapshots', $2, '{}', $3, now() + $4::interval, $5)`, [run, index, owner, expires, owner ? 1 : 0]);
    await chunk(dead, 0, 'dead-host:1:000000', '-1 second'); // its worker died holding it
    await chunk(dead, 1, null, '1 minute'); // queued, not claimed yet: maybe in the dead worker's hands
    await chunk(dead, 2, 'live-host:2:000000', '10 seconds'); // held by a live worker
    await chunk(calm, 0, null, '1 minute');
    await chunk(calm, 1, 'live-host:2:000000', '10 seconds');
    try {
      const swept = await t.app.get(ChunkLeaseRepository).sweepExpired(60);
      const seen = swept.map((c) => ({ run: c.runId, index: c.index, owner: c.owner, orphan: c.orphan })).sort((a, b) => a.index - b.index);
      expect(seen).toEqual([
        { run: dead, index: 0, owner: 'dead-host:1:000000', orphan: false },
        { run: dead, index: 1, owner: null, orphan: true },
      ]);
      // once re-enqueued, nothing is left to sweep
      expect(await t.app.get(ChunkLeaseRepository).sweepExpired(60)).toEqual([]);
    } finally {
      await sql(t, `UPDATE batch_runs SET status = 'failed', finished_at = now(), error = 'test over' WHERE id = ANY($1::uuid[])`, [[dead, calm]]);
    }
  });
});

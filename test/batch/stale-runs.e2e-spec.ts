import request from 'supertest';
import { BatchOrchestrator } from '../../src/batch/batch-orchestrator';
import { BatchRunTracker } from '../../src/batch/batch-run-tracker';
import type { BatchRunId } from '../../src/common/branded';
import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, hold, sql, startPeerApp, stockBook, until, waitForRun, waitForRunState } from '../helpers/batch-helpers';

/**
 * DESIGN §4 "always finished": a run whose heartbeat is older than the stale
 * limit is marked failed ("abandoned: heartbeat lost") by the sweep and at
 * start-up, and stops blocking its portfolios. The periodic sweep is stopped
 * here so each test calls `sweep()` itself.
 */
describe('stale runs (e2e)', () => {
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

  /** A 'running' row as a process that died would have left it. */
  async function insertDeadRun(portfolioId: string | null, heartbeatAgo: string): Promise<string> {
    const [row] = await sql(
      t,
      `INSERT INTO batch_runs (status, trigger, triggered_by, portfolio_id, calculation_dates, phases, started_at, heartbeat_at, current_phase, created_at)
       VALUES ('running', 'admin', 'dead-process', $1, ARRAY['2025-06-02']::date[], '[]', now() - $2::interval, now() - $2::interval, 'pnl_snapshots', now() - $2::interval)
       RETURNING id`,
      [portfolioId, heartbeatAgo],
    );
    return row.id;
  }

  it('a running row with an old heartbeat blocks its portfolio until the sweep marks it failed', async () => {
    const dead = await insertDeadRun(p1, '1 hour');
    const blocked = await calculate(p1).expect(409);
    expect(blocked.body.batch_run_id).toBe(dead);

    expect(await tracker.sweep()).toEqual([dead]);
    const run = await request(t.http).get(`${API}/admin/batch/runs/${dead}`).set(bearer(admin.token)).expect(200);
    expect(run.body).toMatchObject({ status: 'failed', error: 'abandoned: heartbeat lost' });
    expect(run.body.finished_at).not.toBeNull();
    const current = await request(t.http).get(`${API}/admin/batch/current`).set(bearer(admin.token)).expect(200);
    expect(current.body.runs).toEqual([]);

    const next = await calculate(p1).expect(202);
    expect((await waitForRun(t, admin.token, next.body.batch_run_id)).status).toBe('completed');
    // a second sweep finds nothing: completed runs are never touched
    expect(await tracker.sweep()).toEqual([]);
  });

  it('a heartbeat within the stale limit is left alone', async () => {
    const alive = await insertDeadRun(null, '3 seconds');
    expect(await tracker.sweep()).toEqual([]);
    expect((await sql(t, `SELECT status FROM batch_runs WHERE id = $1`, [alive]))[0].status).toBe('running');
    await sql(t, `UPDATE batch_runs SET heartbeat_at = now() - interval '11 seconds' WHERE id = $1`, [alive]);
    expect(await tracker.sweep()).toEqual([alive]);
  });

  it('a live run whose heartbeat went stale is swept; its coordinator then stands down without overwriting the outcome', async () => {
    const held = hold(t.app.get(SnapshotPhase), 'process');
    let id = '';
    try {
      const res = await calculate(p1).expect(202);
      id = res.body.batch_run_id;
      await held.entered;
      await waitForRunState(t, admin.token, id, (r) => r.status === 'running');
      // its process froze: the heartbeat stops being written (a beat may land between the two statements, so retry)
      let swept: string[] = [];
      for (let i = 0; i < 5 && !swept.includes(id); i++) {
        await sql(t, `UPDATE batch_runs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [id]);
        swept = await tracker.sweep();
      }
      expect(swept).toEqual([id]);
      const run = await request(t.http).get(`${API}/admin/batch/runs/${id}`).set(bearer(admin.token)).expect(200);
      expect(run.body).toMatchObject({ status: 'failed', error: 'abandoned: heartbeat lost' });

      // the portfolio is free again even while the old coordinator is still stuck
      const next = await calculate(p1).expect(202);
      expect(next.body.batch_run_id).not.toBe(id);
      held.release();
      expect((await waitForRun(t, admin.token, next.body.batch_run_id)).status).toBe('completed');
    } finally {
      held.release();
    }
    // the abandoned coordinator notices (heartbeat answers "not running"), stands down, and does not revive or finish the run
    const orchestrator = t.app.get(BatchOrchestrator);
    await until(() => !orchestrator.coordinatedRuns().includes(id as BatchRunId), 'the abandoned coordinator to stand down');
    const after = await sql(t, `SELECT status, error FROM batch_runs WHERE id = $1`, [id]);
    expect(after[0]).toEqual({ status: 'failed', error: 'abandoned: heartbeat lost' });
  });

  it('start-up sweeps runs left by dead processes', async () => {
    const dead = await insertDeadRun(null, '2 hours');
    const peer = await startPeerApp(t, { BATCH_HEARTBEAT_SECONDS: '1', BATCH_STALE_SECONDS: '10' });
    try {
      const rows = await sql(t, `SELECT status, error FROM batch_runs WHERE id = $1`, [dead]);
      expect(rows[0]).toEqual({ status: 'failed', error: 'abandoned: heartbeat lost' });
    } finally {
      await peer.close();
    }
  });
});

import request from 'supertest';
import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, hold, sql, stockBook, waitForRun, waitForRunState, waitUntilIdle } from '../helpers/batch-helpers';

type Res = request.Response;

/**
 * DESIGN §4 "a portfolio is in at most one queued/running run at a time, an
 * all-portfolios run conflicts with any active run", enforced by the
 * database. A run is kept active by holding its snapshot phase (the phase
 * object's method waits for the test; the database stays real).
 */
describe('batch conflicts (e2e)', () => {
  let t: TestApp;
  let user: { token: string; email: string };
  let admin: { token: string; email: string };
  let p1: string;
  let p2: string;

  beforeAll(async () => {
    t = await startTestApp();
    user = await signUp(t);
    admin = await signUpAdmin(t);
    p1 = await createPortfolioWith(t, user.token, stockBook('AAPL'), 'One');
    p2 = await createPortfolioWith(t, user.token, stockBook('MSFT'), 'Two');
  });
  afterAll(() => t.close());
  afterEach(() => waitUntilIdle(t, admin.token));

  const calculate = (id: string) => request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(user.token)).send({});
  const adminRun = (body: object = {}) => request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send(body);

  function expectConflict(res: Res, activeId: string): void {
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status_code: 409, error: 'Conflict', detail: 'Batch already running', batch_run_id: activeId });
  }

  it('20 parallel triggers on one portfolio: exactly one 202, nineteen 409 naming the active run', async () => {
    const held = hold(t.app.get(SnapshotPhase), 'process');
    try {
      const responses = await Promise.all(Array.from({ length: 20 }, () => calculate(p1)));
      const accepted = responses.filter((r) => r.status === 202);
      const conflicts = responses.filter((r) => r.status !== 202);
      expect(accepted).toHaveLength(1);
      expect(conflicts).toHaveLength(19);
      const id = accepted[0].body.batch_run_id;
      for (const r of conflicts) expectConflict(r, id);
      const rows = await sql(t, `SELECT id FROM batch_runs WHERE portfolio_id = $1`, [p1]);
      expect(rows.map((r) => r.id)).toEqual([id]);

      // still active while held: another trigger is refused too
      await held.entered;
      expectConflict(await calculate(p1), id);
      held.release();
      expect((await waitForRun(t, admin.token, id)).status).toBe('completed');
    } finally {
      held.release();
    }
    // finished: the next trigger is accepted
    const next = await calculate(p1).expect(202);
    expect((await waitForRun(t, admin.token, next.body.batch_run_id)).status).toBe('completed');
  });

  it('parallel user and admin triggers on one portfolio: still exactly one accepted', async () => {
    const held = hold(t.app.get(SnapshotPhase), 'process');
    try {
      const responses = await Promise.all([
        ...Array.from({ length: 5 }, () => calculate(p2)),
        ...Array.from({ length: 5 }, () => adminRun({ portfolio_id: p2 })),
        ...Array.from({ length: 5 }, () => adminRun()),
      ]);
      const accepted = responses.filter((r) => r.status === 202);
      expect(accepted).toHaveLength(1);
      const id = accepted[0].body.batch_run_id;
      for (const r of responses.filter((r) => r.status !== 202)) expectConflict(r, id);
    } finally {
      held.release();
    }
  });

  it('an all-portfolios admin run while a user run is active: 409 with the user run id', async () => {
    const held = hold(t.app.get(SnapshotPhase), 'process');
    try {
      const userRun = await calculate(p1).expect(202);
      const id = userRun.body.batch_run_id;
      await held.entered;
      expectConflict(await adminRun(), id);
      expectConflict(await adminRun({ calculation_date: '2025-06-02' }), id);
      expectConflict(await adminRun({ portfolio_id: p1 }), id);
      // a run on a portfolio the active run does not cover is fine
      const other = await adminRun({ portfolio_id: p2 }).expect(202);
      expect(other.body.batch_run_id).not.toBe(id);
      const current = await request(t.http).get(`${API}/admin/batch/current`).set(bearer(admin.token)).expect(200);
      expect(current.body.runs.map((r: { batch_run_id: string }) => r.batch_run_id).sort()).toEqual([id, other.body.batch_run_id].sort());
      held.release();
      expect((await waitForRun(t, admin.token, id)).status).toBe('completed');
      expect((await waitForRun(t, admin.token, other.body.batch_run_id)).status).toBe('completed');
    } finally {
      held.release();
    }
  });

  it('a user run while an all-portfolios run is active: 409 with the all-portfolios run id', async () => {
    const held = hold(t.app.get(SnapshotPhase), 'process');
    try {
      const all = await adminRun().expect(202);
      const id = all.body.batch_run_id;
      // queued or running: both count as active
      expectConflict(await calculate(p1), id);
      await held.entered;
      await waitForRunState(t, admin.token, id, (r) => r.status === 'running');
      expectConflict(await calculate(p1), id);
      expectConflict(await calculate(p2), id);
      expectConflict(await adminRun({ portfolio_id: p2 }), id);
      expectConflict(await adminRun(), id);
      held.release();
      expect((await waitForRun(t, admin.token, id)).status).toBe('completed');
    } finally {
      held.release();
    }
    const next = await calculate(p1).expect(202);
    expect((await waitForRun(t, admin.token, next.body.batch_run_id)).status).toBe('completed');
  });
});

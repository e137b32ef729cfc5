import request from 'supertest';
import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, slowDown, sql, stockBook, waitForRun, waitForRunState } from '../helpers/batch-helpers';
import { expectErrorShape } from '../fixtures/positions';

/**
 * DESIGN §3/§10: `POST /admin/batch/runs/{id}/cancel` → 202 with the run
 * already `cancelled`: the status moves at once in the database, which fences
 * every later write of the run (a chunk in flight completes into nothing, no
 * chunk is claimed after). Ten portfolios in chunks of two, each snapshot
 * chunk slowed to CHUNK_MS.
 */
describe('cancel (e2e)', () => {
  const PORTFOLIOS = 10;
  const CHUNK_MS = 1500;
  let t: TestApp;
  let admin: { token: string; email: string };
  let owner: { token: string };

  beforeAll(async () => {
    t = await startTestApp({ BATCH_CHUNK_SIZE: '2' });
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG'];
    for (let i = 0; i < PORTFOLIOS; i++) await createPortfolioWith(t, owner.token, stockBook(symbols[i % symbols.length], 10 + i), `Book ${i}`);
  });
  afterAll(() => t.close());

  const cancel = (id: string) => request(t.http).post(`${API}/admin/batch/runs/${id}/cancel`).set(bearer(admin.token));

  it('mid-run: 202, the run ends cancelled within about one chunk, the rest is not worked, and the next trigger is accepted', async () => {
    const restore = slowDown(t.app.get(SnapshotPhase), 'process', CHUNK_MS);
    try {
      const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ calculation_date: '2025-06-02' }).expect(202);
      const id = res.body.batch_run_id;
      // wait until the first chunk of snapshots is done: the run is mid-phase
      await waitForRunState(t, admin.token, id, (r) => r.phases[1].done >= 2, 20_000);

      const c = await cancel(id).expect(202);
      expect(c.body).toMatchObject({ batch_run_id: id, status: 'cancelled' });
      // the answer already says cancelled: the run is final at once, whatever the machine's speed
      const run = await waitForRun(t, admin.token, id, 20_000);

      expect(run.status).toBe('cancelled');
      expect(run.error).toMatch(/cancel/);
      expect(run.finished_at).not.toBeNull();
      // not the whole phase: the chunks not started when the cancel landed are never worked
      // (portfolios, not rows: a first run writes every trading day since each portfolio's first transaction)
      const snapshots = await sql(t, `SELECT count(DISTINCT portfolio_id)::int AS n FROM portfolio_snapshots WHERE batch_run_id = $1`, [id]);
      expect(snapshots[0].n).toBeLessThan(PORTFOLIOS);
      // the phase it was in ended with it: nothing shows running on a finished run
      expect(run.phases.map((p: { status: string }) => p.status)).toEqual(['completed', 'cancelled', 'pending']);
      expect(run.phases[1].finished_at).toBe(run.finished_at);
      const events = await sql(t, `SELECT kind, details FROM batch_run_events WHERE batch_run_id = $1 AND kind IN ('cancel_requested', 'run_finished', 'phase_completed') ORDER BY id`, [id]);
      expect(events.map((e) => e.kind)).toEqual(['phase_completed', 'cancel_requested', 'run_finished']); // market data, then the cancel; nothing after
      expect(events[2].details).toMatchObject({ status: 'cancelled' });
      const risk = await sql(t, `SELECT count(*)::int AS n FROM portfolio_risk WHERE batch_run_id = $1`, [id]);
      expect(risk[0].n).toBe(0);
      const current = await request(t.http).get(`${API}/admin/batch/current`).set(bearer(admin.token)).expect(200);
      expect(current.body.runs).toEqual([]);
    } finally {
      restore();
    }
    const next = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ calculation_date: '2025-06-02' }).expect(202);
    const done = await waitForRun(t, admin.token, next.body.batch_run_id);
    expect(done).toMatchObject({ status: 'completed', portfolios: { total: PORTFOLIOS, completed: PORTFOLIOS, failed: 0 } });
  });

  it('a finished run: 409 naming its state', async () => {
    const runs = await request(t.http).get(`${API}/admin/batch/runs?status=completed&limit=1`).set(bearer(admin.token)).expect(200);
    const id = runs.body.runs[0].batch_run_id;
    const res = await cancel(id).expect(409);
    expectErrorShape(res.body, 409);
    expect(res.body).toMatchObject({ detail: 'Batch run is already completed', batch_run_id: id, status: 'completed' });
    const cancelled = await request(t.http).get(`${API}/admin/batch/runs?status=cancelled&limit=1`).set(bearer(admin.token)).expect(200);
    const again = await cancel(cancelled.body.runs[0].batch_run_id).expect(409);
    expect(again.body.detail).toBe('Batch run is already cancelled');
  });

  it('an unknown run: 404; a malformed id: 400', async () => {
    const res = await cancel('4b0a3f7e-2d5c-4e8b-9f1a-0c6d7e8f9a0b').expect(404);
    expectErrorShape(res.body, 404);
    await cancel('not-a-uuid').expect(400);
  });

  it('is admin only', async () => {
    const runs = await request(t.http).get(`${API}/admin/batch/runs?limit=1`).set(bearer(admin.token)).expect(200);
    await request(t.http).post(`${API}/admin/batch/runs/${runs.body.runs[0].batch_run_id}/cancel`).set(bearer(owner.token)).expect(403);
  });
});

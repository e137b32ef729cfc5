import request from 'supertest';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, SMALL_BOOK, stockBook, waitForRun } from '../helpers/batch-helpers';
import { expectErrorShape } from '../fixtures/positions';
import { asCalendarDate } from '../../src/common/branded';
import { tradingDaysBetween } from '../../src/market-data/calendar';

/** DESIGN §3: batch status and history routes, admin-only routes, snapshots and analytics reads. */
describe('batch and analytics reads (e2e)', () => {
  let t: TestApp;
  let admin: { token: string; email: string };
  let alice: { token: string; email: string };
  let bob: { token: string; email: string };
  let alicePid: string;
  let bobPid: string;
  const runs: Record<string, string> = {};

  const get = (path: string, token: string) => request(t.http).get(`${API}${path}`).set(bearer(token));

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
    alice = await signUp(t);
    bob = await signUp(t);
    alicePid = await createPortfolioWith(t, alice.token, SMALL_BOOK, 'Alice');
    bobPid = await createPortfolioWith(t, bob.token, stockBook('NVDA'), 'Bob');
    // alice: two user runs (06-02, 06-03); admin: a backfill of everyone (06-04..06-05); bob: one user run (06-06)
    const u1 = await request(t.http).post(`${API}/portfolio/${alicePid}/calculate`).set(bearer(alice.token)).send({ calculation_date: '2025-06-02' }).expect(202);
    runs.alice1 = u1.body.batch_run_id;
    await waitForRun(t, admin.token, runs.alice1);
    const u2 = await request(t.http).post(`${API}/portfolio/${alicePid}/calculate`).set(bearer(alice.token)).send({ calculation_date: '2025-06-03' }).expect(202);
    runs.alice2 = u2.body.batch_run_id;
    await waitForRun(t, admin.token, runs.alice2);
    const all = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ start_date: '2025-06-04', end_date: '2025-06-05' }).expect(202);
    runs.all = all.body.batch_run_id;
    await waitForRun(t, admin.token, runs.all);
    const b = await request(t.http).post(`${API}/portfolio/${bobPid}/calculate`).set(bearer(bob.token)).send({ calculation_date: '2025-06-06' }).expect(202);
    runs.bob = b.body.batch_run_id;
    await waitForRun(t, admin.token, runs.bob);
  });
  afterAll(() => t.close());

  describe('batch status', () => {
    it('the owner sees the full batch-run view', async () => {
      const res = await get(`/portfolio/${alicePid}/batch-status/${runs.alice1}`, alice.token).expect(200);
      expect(res.body).toMatchObject({
        batch_run_id: runs.alice1,
        status: 'completed',
        trigger: 'user',
        triggered_by: alice.email,
        calculation_date: '2025-06-02',
        start_date: null,
        end_date: null,
        current_phase: null,
        portfolios: { total: 1, completed: 1, failed: 0 },
        error: null,
      });
      for (const key of ['created_at', 'started_at', 'finished_at']) expect(typeof res.body[key]).toBe('string');
      expect(res.body.phases).toHaveLength(3);
      for (const p of res.body.phases) expect(Object.keys(p).sort()).toEqual(['done', 'finished_at', 'name', 'started_at', 'status', 'total']);
    });

    it('an all-portfolios run is visible from each portfolio it covered', async () => {
      await get(`/portfolio/${alicePid}/batch-status/${runs.all}`, alice.token).expect(200);
      await get(`/portfolio/${bobPid}/batch-status/${runs.all}`, bob.token).expect(200);
    });

    it("another user's portfolio or run → 404, never 403", async () => {
      // bob asks about alice's portfolio (with alice's run)
      expectErrorShape((await get(`/portfolio/${alicePid}/batch-status/${runs.alice1}`, bob.token).expect(404)).body, 404);
      // bob asks through his own portfolio about alice's run
      expectErrorShape((await get(`/portfolio/${bobPid}/batch-status/${runs.alice1}`, bob.token).expect(404)).body, 404);
      // alice's own portfolio with bob's run id
      await get(`/portfolio/${alicePid}/batch-status/${runs.bob}`, alice.token).expect(404);
      // unknown run, unknown portfolio
      await get(`/portfolio/${alicePid}/batch-status/9f0e1d2c-3b4a-4596-8877-665544332211`, alice.token).expect(404);
      await get(`/portfolio/9f0e1d2c-3b4a-4596-8877-665544332211/batch-status/${runs.alice1}`, alice.token).expect(404);
      // bob cannot trigger or list alice's portfolio either
      await request(t.http).post(`${API}/portfolio/${alicePid}/calculate`).set(bearer(bob.token)).send({}).expect(404);
      await get(`/portfolio/${alicePid}/batch-runs`, bob.token).expect(404);
    });

    it('malformed ids → 400; no token → 401', async () => {
      await get(`/portfolio/${alicePid}/batch-status/not-a-uuid`, alice.token).expect(400);
      await get(`/portfolio/not-a-uuid/batch-runs`, alice.token).expect(400);
      await request(t.http).get(`${API}/portfolio/${alicePid}/batch-status/${runs.alice1}`).expect(401);
      await request(t.http).post(`${API}/portfolio/${alicePid}/calculate`).send({}).expect(401);
    });
  });

  describe('GET /portfolio/{id}/batch-runs', () => {
    it("lists the portfolio's runs, its own and all-portfolio ones, newest first", async () => {
      const a = await get(`/portfolio/${alicePid}/batch-runs`, alice.token).expect(200);
      expect(a.body.map((r: { batch_run_id: string }) => r.batch_run_id)).toEqual([runs.all, runs.alice2, runs.alice1]);
      const b = await get(`/portfolio/${bobPid}/batch-runs`, bob.token).expect(200);
      expect(b.body.map((r: { batch_run_id: string }) => r.batch_run_id)).toEqual([runs.bob, runs.all]);
    });
  });

  describe('admin routes', () => {
    it('non-admins get 403 on every admin batch route', async () => {
      for (const token of [alice.token, bob.token]) {
        expectErrorShape((await request(t.http).post(`${API}/admin/batch/run`).set(bearer(token)).send({}).expect(403)).body, 403);
        await get('/admin/batch/runs', token).expect(403);
        await get(`/admin/batch/runs/${runs.alice1}`, token).expect(403);
        await get('/admin/batch/current', token).expect(403);
        await request(t.http).post(`${API}/admin/batch/runs/${runs.alice1}/cancel`).set(bearer(token)).expect(403);
      }
      await request(t.http).get(`${API}/admin/batch/runs`).expect(401);
    });

    it('GET /admin/batch/runs?status=completed&limit=1 paginates, newest first', async () => {
      const page1 = await get('/admin/batch/runs?status=completed&limit=1', admin.token).expect(200);
      expect(page1.body).toMatchObject({ total: 4, limit: 1, offset: 0 });
      expect(page1.body.runs.map((r: { batch_run_id: string }) => r.batch_run_id)).toEqual([runs.bob]);
      const ids: string[] = [];
      for (let offset = 0; offset < 5; offset++) {
        const page = await get(`/admin/batch/runs?status=completed&limit=1&offset=${offset}`, admin.token).expect(200);
        expect(page.body.runs.length).toBe(offset < 4 ? 1 : 0);
        ids.push(...page.body.runs.map((r: { batch_run_id: string }) => r.batch_run_id));
      }
      expect(ids).toEqual([runs.bob, runs.all, runs.alice2, runs.alice1]);
      const none = await get('/admin/batch/runs?status=failed', admin.token).expect(200);
      expect(none.body).toMatchObject({ total: 0, runs: [] });
      const defaults = await get('/admin/batch/runs', admin.token).expect(200);
      expect(defaults.body).toMatchObject({ total: 4, limit: 20, offset: 0 });
    });

    it.each(['status=done', 'limit=0', 'limit=201', 'limit=abc', 'offset=-1', 'sort=asc'])('GET /admin/batch/runs?%s → 400', async (q) => {
      expectErrorShape((await get(`/admin/batch/runs?${q}`, admin.token).expect(400)).body, 400);
    });

    it('GET /admin/batch/runs/{id}: per-portfolio results; unknown → 404', async () => {
      const res = await get(`/admin/batch/runs/${runs.all}`, admin.token).expect(200);
      expect(res.body).toMatchObject({ batch_run_id: runs.all, trigger: 'admin', triggered_by: admin.email, dates: { total: 2, done: 2 } });
      expect(res.body.results.map((r: { portfolio_id: string; status: string }) => [r.portfolio_id, r.status]).sort()).toEqual(
        [
          [alicePid, 'completed'],
          [bobPid, 'completed'],
        ].sort(),
      );
      await get('/admin/batch/runs/9f0e1d2c-3b4a-4596-8877-665544332211', admin.token).expect(404);
      await get('/admin/batch/runs/nope', admin.token).expect(400);
    });

    it('GET /admin/batch/current is empty when nothing runs', async () => {
      expect((await get('/admin/batch/current', admin.token).expect(200)).body).toEqual({ runs: [] });
    });
  });

  describe('snapshots and analytics', () => {
    it('GET /portfolio/{id}/snapshots: all, or within from/to, oldest first', async () => {
      const all = await get(`/portfolio/${alicePid}/snapshots`, alice.token).expect(200);
      // the first run filled every trading day since the first transaction (2024-01-02): DESIGN §8
      expect(all.body.map((s: { snapshot_date: string }) => s.snapshot_date)).toEqual(tradingDaysBetween(asCalendarDate('2024-01-02'), asCalendarDate('2025-06-05')));
      const some = await get(`/portfolio/${alicePid}/snapshots?from=2025-06-03&to=2025-06-04`, alice.token).expect(200);
      expect(some.body.map((s: { snapshot_date: string }) => s.snapshot_date)).toEqual(['2025-06-03', '2025-06-04']);
      const from = await get(`/portfolio/${alicePid}/snapshots?from=2025-06-05`, alice.token).expect(200);
      expect(from.body.map((s: { snapshot_date: string }) => s.snapshot_date)).toEqual(['2025-06-05']);
      const to = await get(`/portfolio/${alicePid}/snapshots?to=2025-06-02`, alice.token).expect(200);
      expect(to.body.map((s: { snapshot_date: string }) => s.snapshot_date)).toEqual(tradingDaysBetween(asCalendarDate('2024-01-02'), asCalendarDate('2025-06-02')));
      const s = some.body[0];
      for (const key of ['total_value', 'long_value', 'short_value', 'gross_exposure', 'net_exposure', 'daily_pnl', 'daily_return', 'cumulative_pnl', 'position_count',
        'net_flows', 'realized_pnl', 'income', 'fees', 'cumulative_realized_pnl', 'unrealized_pnl', 'stale']) {
        expect(s).toHaveProperty(key);
      }
      expect(s.position_count).toBe(3);
      expect(await get(`/portfolio/${alicePid}/snapshots?from=2023-01-01&to=2023-12-31`, alice.token).expect(200).then((r) => r.body)).toEqual([]);
    });

    it('snapshots: malformed dates and from > to → 400; not yours → 404', async () => {
      for (const q of ['from=2025-6-3', 'to=yesterday', 'from=2025-02-30', 'from=2025-06-05&to=2025-06-02', 'extra=1']) {
        expectErrorShape((await get(`/portfolio/${alicePid}/snapshots?${q}`, alice.token).expect(400)).body, 400);
      }
      await get(`/portfolio/${alicePid}/snapshots`, bob.token).expect(404);
    });

    it('GET /portfolio/{id}/analytics: the latest date, or ?date=', async () => {
      const latest = await get(`/portfolio/${alicePid}/analytics`, alice.token).expect(200);
      expect(latest.body.as_of).toBe('2025-06-05');
      expect(latest.body.snapshot.snapshot_date).toBe('2025-06-05');
      expect(latest.body.risk).not.toBeNull();
      const dated = await get(`/portfolio/${alicePid}/analytics?date=2025-06-03`, alice.token).expect(200);
      expect(dated.body.as_of).toBe('2025-06-03');
      expect(dated.body.snapshot.snapshot_date).toBe('2025-06-03');
      expect(dated.body.risk).not.toBeNull();
      expect(dated.body.snapshot.total_value).not.toBe(latest.body.snapshot.total_value);
    });

    it('analytics: malformed date → 400; a date without analytics → 404; not yours → 404', async () => {
      expectErrorShape((await get(`/portfolio/${alicePid}/analytics?date=06-03-2025`, alice.token).expect(400)).body, 400);
      await get(`/portfolio/${alicePid}/analytics?date=2025-13-01`, alice.token).expect(400);
      const missing = await get(`/portfolio/${alicePid}/analytics?date=2025-06-06`, alice.token).expect(404);
      expectErrorShape(missing.body, 404);
      expect(missing.body.detail).toMatch(/2025-06-06/);
      await get(`/portfolio/${alicePid}/analytics?date=2025-06-21`, alice.token).expect(404);
      await get(`/portfolio/${alicePid}/analytics`, bob.token).expect(404);
    });

    it('analytics of a portfolio never calculated: 200 with nulls and a reason', async () => {
      const fresh = await createPortfolioWith(t, alice.token, stockBook('AMD'), 'Fresh');
      const res = await get(`/portfolio/${fresh}/analytics`, alice.token).expect(200);
      expect(res.body).toMatchObject({ as_of: null, stale: false, snapshot: null, risk: null, reason: expect.stringContaining('calculate') });
      expect((await get(`/portfolio/${fresh}/snapshots`, alice.token).expect(200)).body).toEqual([]);
    });
  });
});

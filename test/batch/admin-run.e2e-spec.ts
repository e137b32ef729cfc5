import request from 'supertest';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, SMALL_BOOK, sql, stockBook, waitForRun } from '../helpers/batch-helpers';
import { expectErrorShape, isoDaysFromToday } from '../fixtures/positions';

/** DESIGN §3: `POST /admin/batch/run` and its body. */
describe('admin batch run (e2e)', () => {
  let t: TestApp;
  let admin: { token: string; email: string };
  let user: { token: string };
  let p1: string;
  let p2: string;

  const run = (body?: object) => {
    const r = request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token));
    return body === undefined ? r : r.send(body);
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
    user = await signUp(t);
    p1 = await createPortfolioWith(t, user.token, SMALL_BOOK, 'Mixed');
    p2 = await createPortfolioWith(t, user.token, stockBook('NVDA'), 'Single');
  });
  afterAll(() => t.close());

  it('no body: all portfolios, latest trading day; 202 {status: started, batch_run_id, triggered_by: admin email}', async () => {
    const res = await run().expect(202);
    expect(res.body).toMatchObject({ status: 'started', batch_run_id: expect.any(String), triggered_by: admin.email });
    expect(res.body.run).toMatchObject({ trigger: 'admin', portfolio_id: null, portfolios: { total: 2 } });
    const done = await waitForRun(t, admin.token, res.body.batch_run_id);
    expect(done).toMatchObject({ status: 'completed', trigger: 'admin', triggered_by: admin.email, error: null, portfolios: { total: 2, completed: 2, failed: 0 } });
    expect(done.phases.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).toEqual([
      'market_data:completed',
      'pnl_snapshots:completed',
      'risk_analytics:completed',
    ]);
    expect(done.results.map((r: { portfolio_id: string }) => r.portfolio_id).sort()).toEqual([p1, p2].sort());
    expect(done.started_at).not.toBeNull();
    expect(done.finished_at).not.toBeNull();
  });

  it('{portfolio_id}: that portfolio only', async () => {
    const res = await run({ portfolio_id: p2 }).expect(202);
    expect(res.body.triggered_by).toBe(admin.email);
    const done = await waitForRun(t, admin.token, res.body.batch_run_id);
    expect(done).toMatchObject({ status: 'completed', portfolio_id: p2, portfolios: { total: 1, completed: 1 } });
    expect(done.results.map((r: { portfolio_id: string }) => r.portfolio_id)).toEqual([p2]);
  });

  it('{calculation_date}: that trading day', async () => {
    const res = await run({ calculation_date: '2025-06-02' }).expect(202);
    const done = await waitForRun(t, admin.token, res.body.batch_run_id);
    expect(done).toMatchObject({ status: 'completed', calculation_date: '2025-06-02', start_date: null, end_date: null, dates: { total: 1 } });
    const rows = await sql(t, `SELECT count(*)::int AS n FROM portfolio_snapshots WHERE snapshot_date = '2025-06-02'`);
    expect(rows[0].n).toBe(2);
  });

  it('{start_date, end_date}: a backfill of the trading days in between', async () => {
    const res = await run({ start_date: '2025-06-05', end_date: '2025-06-09' }).expect(202);
    const done = await waitForRun(t, admin.token, res.body.batch_run_id);
    // 06-05 Thu, 06-06 Fri, 06-09 Mon
    expect(done).toMatchObject({ status: 'completed', start_date: '2025-06-05', end_date: '2025-06-09', calculation_date: '2025-06-09', dates: { total: 3, done: 3 } });
    const rows = await sql(t, `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, count(*)::int AS n FROM portfolio_snapshots
      WHERE snapshot_date BETWEEN '2025-06-05' AND '2025-06-09' GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([{ d: '2025-06-05', n: 2 }, { d: '2025-06-06', n: 2 }, { d: '2025-06-09', n: 2 }]);
  });

  it('{force: true}: market data is fetched again', async () => {
    const before = await sql(t, `SELECT max(updated_at) AS at FROM daily_prices WHERE symbol = 'SPY'`);
    const res = await run({ force: true, calculation_date: '2025-06-02' }).expect(202);
    const done = await waitForRun(t, admin.token, res.body.batch_run_id);
    expect(done.status).toBe('completed');
    const after = await sql(t, `SELECT max(updated_at) AS at FROM daily_prices WHERE symbol = 'SPY'`);
    expect(new Date(after[0].at).getTime()).toBeGreaterThan(new Date(before[0].at).getTime());
    const runRow = await sql(t, `SELECT force FROM batch_runs WHERE id = $1`, [res.body.batch_run_id]);
    expect(runRow[0].force).toBe(true);
  });

  it.each([
    ['an unknown field', { portfolio: 'x' }, /portfolio/],
    ['a malformed calculation_date', { calculation_date: '2025-6-2' }, /calculation_date/],
    ['an impossible calculation_date', { calculation_date: '2025-02-30' }, /calculation_date/],
    ['a malformed start_date', { start_date: '06/02/2025', end_date: '2025-06-06' }, /start_date/],
    ['a portfolio_id that is not a uuid', { portfolio_id: 'not-a-uuid' }, /portfolio_id/],
    ['force that is not a boolean', { force: 'yes' }, /force/],
    ['both calculation_date and a range', { calculation_date: '2025-06-02', start_date: '2025-06-02', end_date: '2025-06-03' }, /either calculation_date or start_date/],
    ['a range without end_date', { start_date: '2025-06-02' }, /go together/],
    ['a range ending before it starts', { start_date: '2025-06-06', end_date: '2025-06-02' }, /after end_date/],
    ['a weekend calculation_date', { calculation_date: '2025-06-21' }, /not a trading day \(Saturday\).*2025-06-20 or 2025-06-23/],
    ['a holiday calculation_date', { calculation_date: '2025-06-19' }, /Juneteenth.*2025-06-18 or 2025-06-20/],
    ['a date before the trading calendar', { calculation_date: '1960-01-04' }, /before 1972-01-01/],
    ['a future calculation_date', { calculation_date: isoDaysFromToday(10) }, /in the future/],
    ['a future end_date', { start_date: '2025-06-02', end_date: isoDaysFromToday(10) }, /in the future/],
  ])('400 on %s, and no run is created', async (_what, body, detail) => {
    const before = await sql(t, `SELECT count(*)::int AS n FROM batch_runs`);
    const res = await run(body).expect(400);
    expectErrorShape(res.body, 400);
    expect(res.body.detail).toMatch(detail);
    const after = await sql(t, `SELECT count(*)::int AS n FROM batch_runs`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('400 on a malformed JSON body', async () => {
    const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).set('content-type', 'application/json').send('{"force":').expect(400);
    expectErrorShape(res.body, 400);
  });

  it('404 on an unknown portfolio_id', async () => {
    const res = await run({ portfolio_id: '0d4e2a51-7c1b-4f3e-9a55-2b1f3c4d5e6f' }).expect(404);
    expectErrorShape(res.body, 404);
    expect(res.body.detail).toMatch(/Portfolio not found/);
  });

  it('runs another user\'s portfolio (admins see every portfolio)', async () => {
    const other = await signUp(t);
    const p3 = await createPortfolioWith(t, other.token, stockBook('AMD'), 'Other');
    const res = await run({ portfolio_id: p3 }).expect(202);
    expect((await waitForRun(t, admin.token, res.body.batch_run_id)).status).toBe('completed');
  });
});

import request from 'supertest';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, SMALL_BOOK, sql, stockBook, waitForRun } from '../helpers/batch-helpers';
import { expectErrorShape, isoDaysFromToday } from '../fixtures/positions';
import { asCalendarDate } from '../../src/common/branded';
import { tradingDaysBetween } from '../../src/market-data/calendar';

/**
 * DESIGN §4: re-running a date replaces that date's snapshot and analytics;
 * a backfill runs its trading days in order; calculation dates that cannot
 * be calculated are refused with the nearest trading day named.
 */
describe('dates, backfill and re-runs (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  let owner: { token: string };
  let p1: string;
  let p2: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    p1 = await createPortfolioWith(t, owner.token, SMALL_BOOK, 'Mixed');
    p2 = await createPortfolioWith(t, owner.token, stockBook('NVDA'), 'Single');
  });
  afterAll(() => t.close());

  const calculate = (id: string, body: object) => request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(owner.token)).send(body);
  const adminRun = (body: object) => request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send(body);
  // snapshots of the re-run date (a first run also fills every trading day since the first transaction: DESIGN §8)
  const counts = async () => {
    const [s] = await sql(t, `SELECT count(*)::int AS n FROM portfolio_snapshots WHERE snapshot_date = '2025-06-02'`);
    const [r] = await sql(t, `SELECT count(*)::int AS n FROM portfolio_risk`);
    return { snapshots: s.n, risk: r.n };
  };

  describe('re-running a date', () => {
    it('replaces the snapshot and analytics: row counts do not grow, the rows belong to the latest run', async () => {
      const first = await calculate(p1, { calculation_date: '2025-06-02' }).expect(202);
      expect((await waitForRun(t, admin.token, first.body.batch_run_id)).status).toBe('completed');
      const afterFirst = await counts();
      expect(afterFirst).toEqual({ snapshots: 1, risk: 1 });
      const [filled] = await sql(t, `SELECT count(*)::int AS n, min(snapshot_date)::text AS first FROM portfolio_snapshots WHERE portfolio_id = $1`, [p1]);
      expect(filled).toEqual({ n: tradingDaysBetween(asCalendarDate('2024-01-02'), asCalendarDate('2025-06-02')).length, first: '2024-01-02' });
      const allBefore = (await sql(t, `SELECT count(*)::int AS n FROM portfolio_snapshots`))[0].n;
      const [before] = await sql(t, `SELECT batch_run_id, created_at, total_value FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date = '2025-06-02'`, [p1]);
      expect(before.batch_run_id).toBe(first.body.batch_run_id);

      const second = await calculate(p1, { calculation_date: '2025-06-02' }).expect(202);
      expect((await waitForRun(t, admin.token, second.body.batch_run_id)).status).toBe('completed');
      expect(await counts()).toEqual(afterFirst);
      expect((await sql(t, `SELECT count(*)::int AS n FROM portfolio_snapshots`))[0].n).toBe(allBefore);
      const [after] = await sql(t, `SELECT batch_run_id, created_at, total_value FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date = '2025-06-02'`, [p1]);
      expect(after.batch_run_id).toBe(second.body.batch_run_id);
      expect(new Date(after.created_at).getTime()).toBeGreaterThanOrEqual(new Date(before.created_at).getTime());
      expect(after.total_value).toBeCloseTo(before.total_value, 6); // same inputs, same result
      const [risk] = await sql(t, `SELECT batch_run_id FROM portfolio_risk WHERE portfolio_id = $1`, [p1]);
      expect(risk.batch_run_id).toBe(second.body.batch_run_id);
    });

    it('an all-portfolios re-run of the date replaces too, and reflects a changed book', async () => {
      const run1 = await adminRun({ calculation_date: '2025-06-02' }).expect(202);
      expect((await waitForRun(t, admin.token, run1.body.batch_run_id)).status).toBe('completed');
      const base = await counts();
      expect(base).toEqual({ snapshots: 2, risk: 2 });

      await request(t.http)
        .post(`${API}/portfolio/${p2}/positions`)
        .set(bearer(owner.token))
        .send({ symbol: 'AMD', quantity: 5, entry_price: 100, entry_date: '2024-01-02' })
        .expect(201);
      const run2 = await adminRun({ calculation_date: '2025-06-02' }).expect(202);
      expect((await waitForRun(t, admin.token, run2.body.batch_run_id)).status).toBe('completed');
      expect(await counts()).toEqual(base);
      const a = await request(t.http).get(`${API}/portfolio/${p2}/analytics?date=2025-06-02`).set(bearer(owner.token)).expect(200);
      expect(a.body.snapshot.position_count).toBe(2);
    });
  });

  describe('backfill', () => {
    it('2025-06-16..2025-06-23 runs only the trading days (not Juneteenth, not the weekend), oldest first', async () => {
      const res = await adminRun({ portfolio_id: p2, start_date: '2025-06-16', end_date: '2025-06-23' }).expect(202);
      const run = await waitForRun(t, admin.token, res.body.batch_run_id);
      expect(run).toMatchObject({ status: 'completed', start_date: '2025-06-16', end_date: '2025-06-23', calculation_date: '2025-06-23', dates: { total: 5, done: 5 } });

      const rows = await sql(
        t,
        `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, created_at, daily_pnl, cumulative_pnl FROM portfolio_snapshots
         WHERE portfolio_id = $1 AND batch_run_id = $2 ORDER BY created_at, snapshot_date`,
        [p2, run.batch_run_id],
      );
      // in the order they were written; the first date also filled the missing days since 2025-06-02 (one upsert)
      expect(rows.map((r) => r.d)).toEqual(tradingDaysBetween(asCalendarDate('2025-06-03'), asCalendarDate('2025-06-23')));
      const times = rows.map((r) => new Date(r.created_at).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(times).size).toBe(5);
      // each day books its P&L on the previous day's snapshot, so the chain only holds when run in order
      for (let i = 1; i < rows.length; i++) expect(rows[i].cumulative_pnl).toBeCloseTo(rows[i - 1].cumulative_pnl + rows[i].daily_pnl, 6);

      const risk = await sql(t, `SELECT to_char(calculation_date, 'YYYY-MM-DD') AS d FROM portfolio_risk WHERE batch_run_id = $1 ORDER BY created_at`, [run.batch_run_id]);
      expect(risk.map((r) => r.d)).toEqual(['2025-06-16', '2025-06-17', '2025-06-18', '2025-06-20', '2025-06-23']);

      const api = await request(t.http).get(`${API}/portfolio/${p2}/snapshots?from=2025-06-16&to=2025-06-23`).set(bearer(owner.token)).expect(200);
      expect(api.body.map((s: { snapshot_date: string }) => s.snapshot_date)).toEqual(['2025-06-16', '2025-06-17', '2025-06-18', '2025-06-20', '2025-06-23']);
    });

    it('a range without a trading day is refused', async () => {
      const res = await adminRun({ start_date: '2025-06-21', end_date: '2025-06-22' }).expect(400);
      expect(res.body.detail).toMatch(/no trading day between 2025-06-21 and 2025-06-22/);
    });
  });

  describe('calculation_date that cannot be calculated', () => {
    it.each([
      ['a Saturday', '2025-06-21', /2025-06-21 is not a trading day \(Saturday\); nearest trading day: 2025-06-20 or 2025-06-23/],
      ['a Sunday', '2025-06-22', /\(Sunday\); nearest trading day: 2025-06-20 or 2025-06-23/],
      ['Juneteenth', '2025-06-19', /2025-06-19 is not a trading day \(.*Juneteenth.*\); nearest trading day: 2025-06-18 or 2025-06-20/],
      ['Christmas', '2024-12-25', /\(.*Christmas.*\); nearest trading day: 2024-12-24 or 2024-12-26/],
    ])('user route: %s → 400 naming the nearest trading days', async (_what, date, detail) => {
      const res = await calculate(p1, { calculation_date: date }).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.detail).toMatch(detail);
    });

    it('a future date → 400 naming the latest completed trading day', async () => {
      for (const date of [isoDaysFromToday(1), isoDaysFromToday(30), '2199-06-02']) {
        const res = await calculate(p1, { calculation_date: date }).expect(400);
        expect(res.body.detail).toMatch(new RegExp(`${date} is in the future or its close is not final yet; the latest completed trading day is \\d{4}-\\d{2}-\\d{2}`));
      }
      await adminRun({ calculation_date: isoDaysFromToday(7) }).expect(400);
    });

    it('malformed or unknown body fields → 400 on the user route too', async () => {
      expect((await calculate(p1, { calculation_date: '2025/06/02' }).expect(400)).body.detail).toMatch(/calculation_date/);
      expect((await calculate(p1, { calculation_date: 20250602 }).expect(400)).body.detail).toMatch(/calculation_date/);
      expect((await calculate(p1, { portfolio_id: p2 }).expect(400)).body.detail).toMatch(/portfolio_id/);
      expect((await calculate(p1, { start_date: '2025-06-02', end_date: '2025-06-03' }).expect(400)).body.detail).toMatch(/start_date/);
    });

    it('none of the refused requests created a run', async () => {
      const runs = await sql(t, `SELECT count(*)::int AS n FROM batch_runs`);
      expect(runs[0].n).toBe(5); // 2 user + 2 admin re-runs + 1 backfill
    });
  });
});

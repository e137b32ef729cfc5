import request from 'supertest';
import { asCalendarDate } from '../../src/common/branded';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, FACTOR_ETFS, SMALL_BOOK, stockBook, syntheticCsvDir, waitForRun } from '../helpers/batch-helpers';

/**
 * DESIGN §4 "one portfolio failing records its error and does not stop the
 * others" and §5 "missing prices are reported in the run". Prices come from a
 * folder of CSV files (MARKET_DATA_PROVIDER=csv); the symbol only the failing
 * portfolio holds has no file.
 */
describe('one portfolio without market data (e2e)', () => {
  const MISSING = 'NOPRICE';
  const DATE = '2025-06-20';
  let t: TestApp;
  let prices: { dir: string; remove: () => void };
  let admin: { token: string };
  let owner: { token: string };
  let good1: string;
  let good2: string;
  let bad: string;

  beforeAll(async () => {
    prices = syntheticCsvDir([...FACTOR_ETFS, 'AAPL', 'MSFT', 'NVDA'], asCalendarDate('2023-01-03'), asCalendarDate('2025-12-31'));
    t = await startTestApp({ MARKET_DATA_PROVIDER: 'csv', MARKET_DATA_CSV_DIR: prices.dir });
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    good1 = await createPortfolioWith(t, owner.token, SMALL_BOOK, 'Good mixed');
    good2 = await createPortfolioWith(t, owner.token, stockBook('NVDA'), 'Good single');
    bad = await createPortfolioWith(t, owner.token, `symbol,quantity,entry_price,entry_date\nAAPL,10,150,2024-01-02\n${MISSING},25,40,2024-01-02\n`, 'Bad');
  });
  afterAll(async () => {
    await t.close();
    prices.remove();
  });

  it('the run is partial: the others complete, the failure names the symbol, and the next trigger is accepted', async () => {
    const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ calculation_date: DATE }).expect(202);
    const run = await waitForRun(t, admin.token, res.body.batch_run_id);

    expect(run.status).toBe('partial');
    expect(run.portfolios).toEqual({ total: 3, completed: 2, failed: 1 });
    expect(run.error).toMatch(/1 of 3 portfolio\(s\) failed/);
    // market data issues are reported on the run, by symbol
    expect(run.market_data_issues).toEqual([expect.objectContaining({ symbol: MISSING, message: expect.stringContaining(MISSING) })]);
    // per-portfolio results: failures first, with the symbol in the error
    expect(run.results[0]).toMatchObject({ portfolio_id: bad, status: 'failed', failed_phase: 'pnl_snapshots', failed_date: DATE });
    expect(run.results[0].error).toContain(MISSING);
    // the first missing day: a run computes every trading day since the first transaction (DESIGN §8)
    expect(run.results[0].error).toContain(`${MISSING} on 2024-01-02`);
    expect(run.results.slice(1).map((r: { portfolio_id: string; status: string; error: string | null }) => [r.portfolio_id, r.status, r.error]).sort()).toEqual(
      [
        [good1, 'completed', null],
        [good2, 'completed', null],
      ].sort(),
    );
    // the phases themselves completed: a portfolio's failure is not the phase's
    expect(run.phases.map((p: { status: string }) => p.status)).toEqual(['completed', 'completed', 'completed']);

    // the good portfolios have their analytics; the bad one has none for the date
    for (const id of [good1, good2]) {
      const a = await request(t.http).get(`${API}/portfolio/${id}/analytics?date=${DATE}`).set(bearer(owner.token)).expect(200);
      expect(a.body.as_of).toBe(DATE);
      expect(a.body.risk).not.toBeNull();
    }
    await request(t.http).get(`${API}/portfolio/${bad}/analytics?date=${DATE}`).set(bearer(owner.token)).expect(404);

    // nothing stays active: the owner can recalculate right away (still failing, but accepted)
    const again = await request(t.http).post(`${API}/portfolio/${bad}/calculate`).set(bearer(owner.token)).send({ calculation_date: DATE }).expect(202);
    const second = await waitForRun(t, admin.token, again.body.batch_run_id);
    expect(second.status).toBe('failed');
    expect(second.error).toMatch(/1 of 1 portfolio\(s\) failed/);
    expect(second.results[0].error).toContain(MISSING);

    // the user's own status view carries the failure count too
    const status = await request(t.http).get(again.body.poll_url).set(bearer(owner.token)).expect(200);
    expect(status.body.portfolios).toEqual({ total: 1, completed: 0, failed: 1 });
  });
});

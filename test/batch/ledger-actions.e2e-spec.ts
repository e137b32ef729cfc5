import type { CalendarDate } from '../../src/common/branded';
import { MARKET_DATA_PROVIDER } from '../../src/market-data/market-data.service';
import type { MarketDataProvider } from '../../src/market-data/providers';
import { sql } from '../helpers/batch-helpers';
import { signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { analytics, book, calculate, newPortfolio, snapshots, transactions } from './ledger-helpers';

/**
 * DESIGN §8 corporate actions in the batch: a 2:1 split on its ex-date
 * doubles the lots and halves their cost with no P&L; a cash dividend pays
 * longs and charges shorts amount × shares on the pay date; risk returns use
 * split-adjusted closes (closes are stored as traded).
 */
describe('splits and dividends in the batch (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  let owner: { token: string };
  let symbol: string;
  let long: string;
  let short: string;

  /** A symbol the synthetic provider gives no action (so only the test's are stored). */
  async function quietSymbol(): Promise<string> {
    const provider = t.app.get<MarketDataProvider>(MARKET_DATA_PROVIDER);
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      const s = `ZQ${c}`;
      if (!(await provider.fetchCorporateActions(s, '2024-01-01' as CalendarDate, '2026-12-31' as CalendarDate)).length) return s;
    }
    throw new Error('no synthetic symbol without corporate actions');
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    symbol = await quietSymbol();
    // as traded: 100 before the ex-date, 50 from it (every day from well before the risk window)
    await sql(t, `INSERT INTO daily_prices (symbol, price_date, close, source)
      SELECT $1, d::date, CASE WHEN d < '2026-11-16' THEN 100 ELSE 50 END, 'test' FROM generate_series('2025-06-01'::date, '2026-12-01'::date, '1 day') d`, [symbol]);
    await sql(t, `INSERT INTO corporate_actions (symbol, action_type, ex_date, pay_date, ratio, amount, source) VALUES
      ($1, 'SPLIT', '2026-11-16', NULL, 2, NULL, 'test'), ($1, 'CASH_DIVIDEND', '2026-11-18', '2026-11-24', NULL, 0.25, 'test')`, [symbol]);
    long = await newPortfolio(t, owner.token, 'Long');
    short = await newPortfolio(t, owner.token, 'Short');
    await book(t, owner.token, long, [{ type: 'DEPOSIT', date: '2026-11-02', amount: 20000 }, { type: 'BUY', date: '2026-11-03', symbol, quantity: 100, price: 100 }]);
    await book(t, owner.token, short, [{ type: 'DEPOSIT', date: '2026-11-02', amount: 20000 }, { type: 'SELL_SHORT', date: '2026-11-03', symbol, quantity: 50, price: 100 }]);
    for (const id of [long, short]) expect((await calculate(t, owner.token, admin.token, id, '2026-12-01')).status).toBe('completed');
  }, 120_000);
  afterAll(() => t.close());

  const positionOn = async (id: string, date: string) =>
    (await sql(t, `SELECT positions FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date = $2`, [id, date]))[0].positions[0];

  it('the split doubles the lot and halves its cost with no P&L on the ex-date', async () => {
    expect(await positionOn(long, '2026-11-13')).toMatchObject({ quantity: 100, entry_price: 100, market_value: 10000 });
    expect(await positionOn(long, '2026-11-16')).toMatchObject({ quantity: 200, entry_price: 50, market_value: 10000, daily_pnl: 0 });
    expect(await positionOn(short, '2026-11-16')).toMatchObject({ quantity: -100, entry_price: 50, market_value: -5000, daily_pnl: 0 });
    const split = await transactions(t, owner.token, long, '&type=SPLIT');
    expect(split).toHaveLength(1);
    expect(split[0]).toMatchObject({ date: '2026-11-16', symbol, ratio: 2, source: 'system' });
  });

  it('the dividend pays the long 200 × 0.25 and charges the short 100 × 0.25 on the pay date; no other day has P&L', async () => {
    const [l, s] = [await snapshots(t, owner.token, long), await snapshots(t, owner.token, short)];
    for (const day of l) expect(day.daily_pnl).toBeCloseTo(day.snapshot_date === '2026-11-24' ? 50 : 0, 9);
    for (const day of s) expect(day.daily_pnl).toBeCloseTo(day.snapshot_date === '2026-11-24' ? -25 : 0, 9);
    expect(l.find((d) => d.snapshot_date === '2026-11-24')!.income).toBe(50);
    expect(s.find((d) => d.snapshot_date === '2026-11-24')!.income).toBe(-25);
    const dividends = await transactions(t, owner.token, long, '&type=DIVIDEND');
    expect(dividends).toHaveLength(1);
    expect(dividends[0]).toMatchObject({ date: '2026-11-24', amount: 50, source: 'system' });
  });

  it('risk returns are split-adjusted: a flat adjusted price has no volatility', async () => {
    const view = await analytics(t, owner.token, long);
    expect(view.risk.volatility.vol_21d).toBeCloseTo(0, 12);
  });
});

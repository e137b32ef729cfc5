import { sql } from '../helpers/batch-helpers';
import { signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { analytics, book, calculate, newPortfolio, preloadPrices, snapshots, transactions } from './ledger-helpers';

/**
 * DESIGN §8 option expiry (OCC exercise by exception): at the expiration
 * date's close an option in the money by >= $0.01 is exercised into 100 ×
 * contracts shares at the strike, otherwise it EXPIREs at 0; the batch writes
 * these as idempotent system transactions, and the option has no value, no
 * Greeks and no risk afterwards.
 */
describe('option expiry in the batch (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  let owner: { token: string };
  let portfolio: string;
  let close: number;
  let otm: string;
  let itm: string;
  let strikeItm: number;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    await preloadPrices(t, ['AAPL'], '2026-10-01', '2026-12-01');
    [{ close }] = await sql(t, `SELECT close FROM daily_prices WHERE symbol = 'AAPL' AND price_date = '2026-11-20'`);
    const strikeOtm = Math.round(close * 1.5);
    strikeItm = Math.floor(close * 0.5);
    otm = `AAPL261120C${String(strikeOtm * 1000).padStart(8, '0')}`;
    itm = `AAPL261120C${String(strikeItm * 1000).padStart(8, '0')}`;
    const option = { type: 'BUY', date: '2026-11-03', position_type: 'LC', option_type: 'CALL', underlying_symbol: 'AAPL', expiration_date: '2026-11-20' };
    portfolio = await newPortfolio(t, owner.token, 'Options');
    await book(t, owner.token, portfolio, [
      { type: 'DEPOSIT', date: '2026-11-02', amount: 100000 },
      { ...option, symbol: otm, quantity: 1, price: 0.5, strike_price: strikeOtm },
      { ...option, symbol: itm, quantity: 2, price: Math.round((close - strikeItm) * 100) / 100, strike_price: strikeItm },
    ]);
    expect((await calculate(t, owner.token, admin.token, portfolio, '2026-12-01')).status).toBe('completed');
  }, 120_000);
  afterAll(() => t.close());

  const positionsOn = async (date: string) =>
    (await sql(t, `SELECT positions FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date = $2`, [portfolio, date]))[0].positions as Array<Record<string, any>>;

  it('the OTM call expires: one EXPIRE system transaction, idempotent across re-runs', async () => {
    const expire = await transactions(t, owner.token, portfolio, '&type=EXPIRE');
    expect(expire).toHaveLength(1);
    expect(expire[0]).toMatchObject({ type: 'EXPIRE', date: '2026-11-20', symbol: otm, source: 'system' });
    expect((await calculate(t, owner.token, admin.token, portfolio, '2026-12-01')).status).toBe('completed');
    expect((await calculate(t, owner.token, admin.token, portfolio, '2026-11-20')).status).toBe('completed');
    expect(await transactions(t, owner.token, portfolio, '&type=EXPIRE')).toHaveLength(1);
    expect(await transactions(t, owner.token, portfolio, '&type=EXERCISE')).toHaveLength(1);
  }, 60_000);

  it('the ITM call is exercised into 200 shares paid at the strike, and the day\'s P&L is the real P&L', async () => {
    const exercise = await transactions(t, owner.token, portfolio, '&type=EXERCISE');
    expect(exercise).toHaveLength(1);
    expect(exercise[0]).toMatchObject({ date: '2026-11-20', symbol: itm, source: 'system' });
    const after = await positionsOn('2026-11-20');
    expect(after.map((p) => p.symbol)).toEqual(['AAPL']);
    expect(after[0]).toMatchObject({ quantity: 200, position_type: 'LONG' });
    // cost = the strike paid + the intrinsic value the option closed at (= the close): no P&L counted twice
    expect(after[0].entry_price).toBeCloseTo(strikeItm + (close - strikeItm), 6);
    expect(after[0].unrealized_pnl).toBeCloseTo(0, 6);
    // V moves by the shares at the close, the strike paid, and the options' value of the day before: nothing else
    const before = await positionsOn('2026-11-19');
    const optionsBefore = before.reduce((sum, p) => sum + p.market_value, 0);
    const day = (await snapshots(t, owner.token, portfolio)).find((s) => s.snapshot_date === '2026-11-20')!;
    expect(day.daily_pnl).toBeCloseTo(200 * close - 200 * strikeItm - optionsBefore, 6);
    expect(day.net_flows).toBe(0);
  });

  it('after expiry neither option has a value, Greeks or risk', async () => {
    for (const date of ['2026-11-20', '2026-11-23', '2026-12-01']) {
      expect((await positionsOn(date)).filter((p) => p.position_type !== 'LONG')).toEqual([]);
    }
    const view = await analytics(t, owner.token, portfolio);
    expect(view.as_of).toBe('2026-12-01');
    const risk = JSON.stringify(view.risk);
    expect(risk).not.toContain(otm);
    expect(risk).not.toContain(itm);
    expect(view.snapshot.position_count).toBe(1);
  });
});

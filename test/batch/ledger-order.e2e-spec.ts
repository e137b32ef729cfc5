import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { asCalendarDate } from '../../src/common/branded';
import { tradingDaysBetween } from '../../src/market-data/calendar';
import { sql } from '../helpers/batch-helpers';
import { signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { analytics, backfill, book, calculate, comparable, newPortfolio, preloadPrices, snapshots, TxBody } from './ledger-helpers';

/**
 * DESIGN §8: snapshots come from the ledger and a run first computes every
 * missing trading day, so the numbers never depend on the order in which
 * dates were calculated; a back-dated transaction marks later snapshots stale
 * and the next run recomputes them.
 */
const LEDGER: TxBody[] = [
  { type: 'DEPOSIT', date: '2026-11-02', amount: 100000 },
  { type: 'BUY', date: '2026-11-03', symbol: 'AAPL', quantity: 100, price: 150, fees: 5 },
  { type: 'BUY', date: '2026-11-05', symbol: 'MSFT', quantity: 50, price: 300, fees: 5 },
  { type: 'SELL', date: '2026-11-10', symbol: 'AAPL', quantity: 40, price: 155, fees: 3 },
  { type: 'FEE', date: '2026-11-14', amount: 10 }, // a Saturday: booked with Monday 11-16
  { type: 'DIVIDEND', date: '2026-11-18', amount: 25 },
  { type: 'SELL', date: '2026-11-25', symbol: 'MSFT', quantity: 20, price: 310, fees: 2 },
  { type: 'BUY', date: '2026-11-27', symbol: 'AAPL', quantity: 10, price: 160, fees: 1 },
  { type: 'WITHDRAWAL', date: '2026-11-30', amount: 1000 },
];
const BACK_DATED: TxBody = { type: 'BUY', date: '2026-11-12', symbol: 'AAPL', quantity: 5, price: 152, fees: 1 };
const days = (from: string, to: string) => tradingDaysBetween(asCalendarDate(from), asCalendarDate(to));

describe('snapshots from the ledger: order independence and stale recomputation (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  let owner: { token: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    await preloadPrices(t, ['AAPL', 'MSFT'], '2026-10-01', '2026-12-01');
  }, 60_000);
  afterAll(() => t.close());

  /** Every stored position of every day, without the holding ids (they differ between portfolios). */
  const positionsOf = async (id: string) =>
    (await sql(t, `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d, positions FROM portfolio_snapshots WHERE portfolio_id = $1 ORDER BY snapshot_date`, [id]))
      .map((r) => ({ d: r.d, positions: r.positions.map(({ position_id: _id, ...p }: Record<string, unknown>) => p) }));

  it('11-23 then 12-01, 12-01 alone and a backfill give the same snapshots for every day; the first run fills every missing day', async () => {
    const [a, b, c] = [await newPortfolio(t, owner.token, 'A'), await newPortfolio(t, owner.token, 'B'), await newPortfolio(t, owner.token, 'C')];
    for (const id of [a, b, c]) await book(t, owner.token, id, LEDGER);

    expect((await calculate(t, owner.token, admin.token, a, '2026-11-23')).status).toBe('completed');
    expect((await snapshots(t, owner.token, a)).map((s) => s.snapshot_date)).toEqual(days('2026-11-02', '2026-11-23'));
    const counters = t.app.get(SnapshotPhase).counters;
    const resumed = counters.resumed;
    expect((await calculate(t, owner.token, admin.token, a, '2026-12-01')).status).toBe('completed');
    expect(counters.resumed).toBe(resumed + 1); // A resumed from the lots stored on 11-23; B and C replay their whole ledger
    expect((await calculate(t, owner.token, admin.token, b, '2026-12-01')).status).toBe('completed');
    expect((await backfill(t, admin.token, c, '2026-11-02', '2026-12-01')).status).toBe('completed');

    const [sa, sb, sc] = [await snapshots(t, owner.token, a), await snapshots(t, owner.token, b), await snapshots(t, owner.token, c)];
    expect(sa.map((s) => s.snapshot_date)).toEqual(days('2026-11-02', '2026-12-01'));
    expect(sb.map(comparable)).toEqual(sa.map(comparable));
    expect(sc.map(comparable)).toEqual(sa.map(comparable));
    expect(await positionsOf(b)).toEqual(await positionsOf(a));
    expect(await positionsOf(c)).toEqual(await positionsOf(a));

    const on = (d: string) => sa.find((s) => s.snapshot_date === d)!;
    expect(on('2026-11-02')).toMatchObject({ total_value: 100000, net_flows: 100000, daily_pnl: 0, daily_return: 0, position_count: 0 });
    // 40 sold at 155 − 3 against a cost of 40 × (150 + 5/100): 6,197 − 6,002 = 195
    expect(on('2026-11-10').realized_pnl).toBeCloseTo(195, 6);
    expect(on('2026-11-16').fees).toBe(10);
    expect(on('2026-11-18').income).toBe(25);
    expect(on('2026-11-30').net_flows).toBe(-1000);
    const last = sa[sa.length - 1];
    const flows = sa.reduce((sum, s) => sum + s.net_flows, 0);
    expect(last.cumulative_pnl).toBeCloseTo(last.total_value - flows, 6);
    for (const s of sa) expect(s.stale).toBe(false);
    const view = await analytics(t, owner.token, a);
    expect(view).toMatchObject({ as_of: '2026-12-01', stale: false });
    expect(view.risk).not.toBeNull();
  }, 180_000);

  it('a back-dated transaction marks the snapshots from its date stale; the next run recomputes them to equal a clean run', async () => {
    const [d, e] = [await newPortfolio(t, owner.token, 'D'), await newPortfolio(t, owner.token, 'E')];
    await book(t, owner.token, d, LEDGER);
    await book(t, owner.token, e, [...LEDGER.slice(0, 4), BACK_DATED, ...LEDGER.slice(4)]);
    expect((await calculate(t, owner.token, admin.token, d, '2026-12-01')).status).toBe('completed');
    expect((await analytics(t, owner.token, d)).stale).toBe(false);

    await book(t, owner.token, d, [BACK_DATED]);
    expect(await analytics(t, owner.token, d)).toMatchObject({ as_of: '2026-12-01', stale: true });
    const marked = await snapshots(t, owner.token, d);
    for (const s of marked) expect(s.stale).toBe(s.snapshot_date >= '2026-11-12');

    expect((await calculate(t, owner.token, admin.token, d, '2026-12-01')).status).toBe('completed');
    expect((await calculate(t, owner.token, admin.token, e, '2026-12-01')).status).toBe('completed');
    expect((await analytics(t, owner.token, d)).stale).toBe(false);
    const [sd, se] = [await snapshots(t, owner.token, d), await snapshots(t, owner.token, e)];
    expect(sd.map(comparable)).toEqual(se.map(comparable));
    expect(await positionsOf(d)).toEqual(await positionsOf(e));
  }, 180_000);
});

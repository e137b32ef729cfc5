import { asCalendarDate, asPositionId, CalendarDate, PositionId } from '../../common/branded';
import type { DayActivity, Holding, HoldingPosition } from '../../ledger/ledger.types';
import { calculateLedgerSnapshot, LedgerSnapshotInput, PreviousDayState, previousDayStateOf } from './ledger-snapshot';

/**
 * Hand-computed books (every figure below is worked out in the comments; the
 * flow convention is DESIGN §8: r_d = (V_d − (V_{d−1} + F_d)) / (V_{d−1} + F_d)).
 */
const d = asCalendarDate;
const settings = { riskFreeRate: 0.05, defaultImpliedVolatility: 0.2 };
const AAPL = asPositionId('00000000-0000-4000-8000-000000000a01');

function holding(id: PositionId, symbol: string, over: Partial<Holding> = {}): Holding {
  return { id, symbol, positionType: 'LONG', impliedVolatility: null, optionType: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, ...over };
}

function activity(date: CalendarDate, over: Partial<DayActivity> = {}): DayActivity {
  return { date, realizedPnl: 0, income: 0, fees: 0, cashFlows: 0, transfers: [], cashByHolding: new Map(), realized: [], generated: [], ...over };
}

function open(h: Holding, quantity: number, costBasis: number, openedAt: string, multiplier = 1): HoldingPosition {
  return { holding: h, quantity, costBasis, costPerUnit: Math.abs(costBasis) / (Math.abs(quantity) * multiplier), openedAt: d(openedAt) };
}

function day(over: Partial<LedgerSnapshotInput> & Pick<LedgerSnapshotInput, 'date' | 'cash'>, closes: Record<string, number>): LedgerSnapshotInput {
  return {
    previous: null, activity: activity(over.date), positions: [], holdings: new Map(), settings, ...over,
    close: (s) => closes[s],
  };
}

describe('calculateLedgerSnapshot', () => {
  const aapl = holding(AAPL, 'AAPL');

  it('deposit + buy, partial sell, dividend + fee over three days', () => {
    // Day 1: deposit 10,000; buy 100 AAPL @ 50 + 5 fee (cost 5,005); close 52.
    //   cash 4,995, MV 5,200, V 10,195, F 10,000 → P&L 195, return 195 / 10,000.
    const d1 = calculateLedgerSnapshot(day({
      date: d('2026-11-02'), cash: 4995, positions: [open(aapl, 100, 5005, '2026-11-02')],
      activity: activity(d('2026-11-02'), { cashFlows: 10000, fees: 5, cashByHolding: new Map([[AAPL, -5005]]) }),
    }, { AAPL: 52 }));
    expect(d1.reason).toBeNull();
    const s1 = d1.snapshot!;
    expect(s1).toMatchObject({ total_value: 10195, net_flows: 10000, fees: 5, realized_pnl: 0, position_count: 1, long_value: 5200 });
    expect(s1.daily_pnl).toBeCloseTo(195, 9);
    expect(s1.daily_return).toBeCloseTo(0.0195, 12);
    expect(s1.unrealized_pnl).toBeCloseTo(195, 9);
    expect(d1.positions[0]).toMatchObject({ position_id: AAPL, market_value: 5200, quantity: 100, entry_price: 50.05, entry_date: '2026-11-02' });
    expect(d1.positions[0].daily_pnl).toBeCloseTo(195, 9);

    // Day 2: sell 40 @ 55 − 4 fee: proceeds 2,196, cost 40 × 50.05 = 2,002 → realized 194; close 54.
    //   cash 7,191, MV 60 × 54 = 3,240, V 10,431 → P&L 236, return 236 / 10,195; unrealized 3,240 − 3,003 = 237.
    const d2 = calculateLedgerSnapshot(day({
      date: d('2026-11-03'), cash: 7191, previous: previousDayStateOf(s1, d1.positions), positions: [open(aapl, 60, 3003, '2026-11-02')],
      activity: activity(d('2026-11-03'), { realizedPnl: 194, fees: 4, cashByHolding: new Map([[AAPL, 2196]]) }),
    }, { AAPL: 54 }));
    const s2 = d2.snapshot!;
    expect(s2.total_value).toBeCloseTo(10431, 9);
    expect(s2.daily_pnl).toBeCloseTo(236, 9);
    expect(s2.daily_return).toBeCloseTo(236 / 10195, 12);
    expect(s2.net_flows).toBe(0);
    expect(s2.realized_pnl).toBe(194);
    expect(s2.cumulative_realized_pnl).toBe(194);
    expect(s2.unrealized_pnl).toBeCloseTo(237, 9);
    expect(s2.cumulative_pnl).toBeCloseTo(431, 9);
    expect(d2.positions[0].daily_pnl).toBeCloseTo(3240 - 5200 + 2196, 9);

    // Day 3: AAPL pays a 30 dividend, a 10 fee; close 53. cash 7,211, MV 3,180, V 10,391 → P&L −40.
    //   Cumulative 391 = realized 194 + unrealized 177 + income 30 − fee 10.
    const d3 = calculateLedgerSnapshot(day({
      date: d('2026-11-04'), cash: 7211, previous: previousDayStateOf(s2, d2.positions), positions: [open(aapl, 60, 3003, '2026-11-02')],
      activity: activity(d('2026-11-04'), { income: 30, fees: 10, cashByHolding: new Map([[AAPL, 30]]) }),
    }, { AAPL: 53 }));
    const s3 = d3.snapshot!;
    expect(s3.daily_pnl).toBeCloseTo(-40, 9);
    expect(s3.daily_return).toBeCloseTo(-40 / 10431, 12);
    expect(s3).toMatchObject({ income: 30, fees: 10, realized_pnl: 0, cumulative_realized_pnl: 194 });
    expect(s3.cumulative_pnl).toBeCloseTo(391, 9);
    expect(s3.unrealized_pnl).toBeCloseTo(177, 9);
    expect(d3.positions[0].daily_pnl).toBeCloseTo(-30, 9); // −60 price move + 30 dividend; the fee is the portfolio's
  });

  it('values a transfer in at the day\'s close as a flow, and a transfer out likewise', () => {
    // Day 1: 10 MSFT transferred in at a cost of 300, close 400: F = V = 4,000, P&L 0, unrealized 1,000.
    const msft = holding(asPositionId('00000000-0000-4000-8000-000000000a02'), 'MSFT');
    const holdings = new Map([[msft.id, msft]]);
    const d1 = calculateLedgerSnapshot(day({
      date: d('2026-11-02'), cash: 0, holdings, positions: [open(msft, 10, 3000, '2026-11-02')],
      activity: activity(d('2026-11-02'), { transfers: [{ positionId: msft.id, signedQuantity: 10 }] }),
    }, { MSFT: 400 }));
    expect(d1.snapshot).toMatchObject({ total_value: 4000, net_flows: 4000, daily_pnl: 0, daily_return: 0, unrealized_pnl: 1000 });
    expect(d1.positions[0].daily_pnl).toBe(0);
    // Day 2: 4 moved out at 410 (F = −1,640); 6 left worth 2,460: P&L 2,460 − 4,000 + 1,640 = 100 = 10 × (410 − 400).
    const d2 = calculateLedgerSnapshot(day({
      date: d('2026-11-03'), cash: 0, holdings, previous: previousDayStateOf(d1.snapshot!, d1.positions), positions: [open(msft, 6, 1800, '2026-11-02')],
      activity: activity(d('2026-11-03'), { transfers: [{ positionId: msft.id, signedQuantity: -4 }] }),
    }, { MSFT: 410 }));
    expect(d2.snapshot!.net_flows).toBe(-1640);
    expect(d2.snapshot!.daily_pnl).toBeCloseTo(100, 9);
    expect(d2.snapshot!.daily_return).toBeCloseTo(100 / 2360, 12);
    // the holding: 2,460 − 4,000 + 1,640 moved out at the close = 100 (the 4 moved out were valued at today's close)
    expect(d2.positions[0].daily_pnl).toBeCloseTo(100, 9);
  });

  it('a short moved in is a negative flow (the engine signs transfers by the change of the signed quantity)', () => {
    // 5 shares short of ZZZ moved in at a close of 20: flow −100, value −100 + cash 0, P&L 0.
    const short = holding(asPositionId('00000000-0000-4000-8000-000000000a03'), 'ZZZ', { positionType: 'SHORT' });
    const r = calculateLedgerSnapshot(day({
      date: d('2026-11-02'), cash: 0, holdings: new Map([[short.id, short]]), positions: [open(short, -5, -90, '2026-11-02')],
      activity: activity(d('2026-11-02'), { transfers: [{ positionId: short.id, signedQuantity: -5 }] }),
    }, { ZZZ: 20 }));
    expect(r.snapshot).toMatchObject({ total_value: -100, net_flows: -100, daily_pnl: 0, daily_return: null, unrealized_pnl: -10, short_value: -100 });
  });

  it('an exercise moves the book only by real P&L', () => {
    // Yesterday: cash 1,000 and one long XYZ 100-call worth 800 (V 1,800). Today, its expiry, XYZ closes at 110:
    // exercised into 100 shares at the strike (cash −10,000). V = −9,000 + 11,000 = 2,000:
    // P&L 200 = intrinsic 1,000 − yesterday's 800; no flow.
    const call = holding(asPositionId('00000000-0000-4000-8000-000000000a04'), 'XYZ261106C00100000', {
      positionType: 'LC', optionType: 'CALL', underlyingSymbol: 'XYZ', strikePrice: 100, expirationDate: d('2026-11-06'),
    });
    const shares = holding(asPositionId('00000000-0000-4000-8000-000000000a05'), 'XYZ');
    const previous: PreviousDayState = { totalValue: 1800, cumulativePnl: 300, cumulativeRealizedPnl: 0, marketValues: new Map([[call.id, 800]]) };
    const r = calculateLedgerSnapshot(day({
      date: d('2026-11-06'), cash: -9000, previous, holdings: new Map([[call.id, call], [shares.id, shares]]),
      positions: [open(shares, 100, 10000, '2026-11-06')],
      activity: activity(d('2026-11-06'), { realizedPnl: 500, cashByHolding: new Map([[shares.id, -10000]]) }),
    }, { XYZ: 110 }));
    expect(r.snapshot).toMatchObject({ total_value: 2000, daily_pnl: 200, net_flows: 0, realized_pnl: 500, cumulative_realized_pnl: 500, position_count: 1 });
    expect(r.snapshot!.daily_return).toBeCloseTo(200 / 1800, 12);
    expect(r.snapshot!.cumulative_pnl).toBe(500);
    expect(r.positions.map((p) => p.symbol)).toEqual(['XYZ']); // the option is gone: no value, no risk
  });

  it('gives no snapshot without a close, naming the symbol and date (never 0)', () => {
    const r = calculateLedgerSnapshot(day({ date: d('2026-11-02'), cash: 100, positions: [open(aapl, 1, 50, '2026-11-01')] }, {}));
    expect(r.snapshot).toBeNull();
    expect(r.reason).toBe('no close for AAPL on 2026-11-02');
    expect(r.missing_prices).toEqual([{ symbol: 'AAPL', date: '2026-11-02' }]);
  });

  it('has a null daily return with a reason when the base is not positive', () => {
    const r = calculateLedgerSnapshot(day({ date: d('2026-11-02'), cash: 0 }, {}));
    expect(r.snapshot).toMatchObject({ total_value: 0, daily_pnl: 0, daily_return: null });
    expect(r.notes[0]).toMatch(/not positive/);
  });
});

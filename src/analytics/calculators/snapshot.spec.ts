import { asCalendarDate, type PositionId } from '../../common/branded';

import { PriceQuote, calculateSnapshot, SnapshotInput } from './snapshot';
import { PositionInput } from './types';

/** Readable test ids (asPositionId takes uuids only). */
const asPositionId = (name: string) => name as PositionId;

const d = asCalendarDate;
const settings = { riskFreeRate: 0.05, defaultImpliedVolatility: 0.2 };

function pos(id: string, over: Partial<PositionInput>): PositionInput {
  return {
    id: asPositionId(id),
    symbol: 'AAPL',
    quantity: 1,
    entryPrice: 1,
    entryDate: d('2025-01-02'),
    positionType: 'LONG',
    underlyingSymbol: null,
    strikePrice: null,
    expirationDate: null,
    impliedVolatility: null,
    ...over,
  };
}

const prices = new Map<string, PriceQuote>([
  ['AAPL', { close: 110, previousClose: 100 }],
  ['MSFT', { close: 200, previousClose: 210 }],
  ['XYZ', { close: 49, previousClose: 48 }],
  ['SPY', { close: 400, previousClose: 395 }],
]);

/**
 * Hand-checked book on Fri 2025-03-14 (previous trading day Thu 03-13), cash 5,000:
 *  - long 100 AAPL @ 90: MV 11,000, unrealised +2,000, daily 100 × (110 − 100) = +1,000
 *  - short 50 MSFT @ 220: MV −10,000, cost −11,000 → unrealised +1,000, daily −50 × (200 − 210) = +500
 *  - long 2 XYZ 50-strike calls @ 2.00, 140 days to expiry, IV 20%: BS value 2.39599 (Hull's
 *    ch. 19 option, T = 140/365) → MV 479.20; yesterday 1.91879 at S = 48, 141 days → daily +95.44
 *  - short 1 SPY 380-strike put @ 3.00, 34 days, default IV 20%: BS 2.31215 → MV −231.21,
 *    unrealised +68.79; yesterday 3.40456 at S = 395, 35 days → daily +109.24
 *  - long 10 AAPL @ 108 opened today: MV 1,100, daily = 1,100 − 1,080 = +20
 *  - a position entered next week: excluded
 * BS references computed independently with Python's math.erfc (N(x) = erfc(−x/√2)/2).
 */
const book: PositionInput[] = [
  pos('stock-long', { quantity: 100, entryPrice: 90 }),
  pos('stock-short', { symbol: 'MSFT', quantity: -50, entryPrice: 220, positionType: 'SHORT', entryDate: d('2025-02-01') }),
  pos('call-long', {
    symbol: 'XYZ250801C00050000', quantity: 2, entryPrice: 2, positionType: 'LC', underlyingSymbol: 'XYZ',
    strikePrice: 50, expirationDate: d('2025-08-01'), impliedVolatility: 0.2,
  }),
  pos('put-short', {
    symbol: 'SPY250417P00380000', quantity: 1, entryPrice: 3, positionType: 'SP', underlyingSymbol: 'SPY',
    strikePrice: 380, expirationDate: d('2025-04-17'),
  }),
  pos('new-today', { quantity: 10, entryPrice: 108, entryDate: d('2025-03-14') }),
  pos('future', { quantity: 1000, entryPrice: 1, entryDate: d('2025-03-20') }),
];

const input: SnapshotInput = {
  calculationDate: d('2025-03-14'),
  previousDate: d('2025-03-13'),
  cashBalance: 5000,
  positions: book,
  prices,
  previousSnapshot: { totalValue: 20_000, cumulativePnl: 1_500 },
  settings,
};

describe('calculateSnapshot', () => {
  const r = calculateSnapshot(input);
  const byId = new Map(r.positions.map((p) => [p.position_id as string, p]));

  it('values each position (stocks at the close, options by Black–Scholes × 100)', () => {
    expect(byId.get('stock-long')).toMatchObject({ market_value: 11_000, unrealized_pnl: 2_000, daily_pnl: 1_000, price: 110 });
    expect(byId.get('stock-short')).toMatchObject({ market_value: -10_000, unrealized_pnl: 1_000, daily_pnl: 500 });
    const call = byId.get('call-long')!;
    expect(call.price_symbol).toBe('XYZ');
    expect(call.option_price).toBeCloseTo(2.3959884485399847, 9);
    expect(call.market_value).toBeCloseTo(479.1976897079969, 6);
    expect(call.unrealized_pnl).toBeCloseTo(79.19768970799691, 6);
    expect(call.daily_pnl).toBeCloseTo(95.4390524825591, 6);
    const put = byId.get('put-short')!;
    expect(put.market_value).toBeCloseTo(-231.21496509563713, 6);
    expect(put.unrealized_pnl).toBeCloseTo(68.78503490436287, 6);
    expect(put.daily_pnl).toBeCloseTo(109.24063072417738, 6);
    expect(byId.get('new-today')).toMatchObject({ market_value: 1_100, daily_pnl: 20 });
    expect(byId.has('future')).toBe(false);
  });

  it('books the snapshot totals', () => {
    const s = r.snapshot!;
    expect(r.reason).toBeNull();
    expect(s.snapshot_date).toBe('2025-03-14');
    expect(s.position_count).toBe(5);
    expect(s.total_value).toBeCloseTo(7347.98272461236, 6);
    expect(s.long_value).toBeCloseTo(12579.197689707997, 6);
    expect(s.short_value).toBeCloseTo(-10231.214965095638, 6);
    expect(s.gross_exposure).toBeCloseTo(s.long_value - s.short_value, 9);
    expect(s.net_exposure).toBeCloseTo(s.total_value - 5000, 9);
    expect(s.daily_pnl).toBeCloseTo(1724.6796832067366, 6);
    expect(s.daily_return).toBeCloseTo(1724.6796832067366 / 20_000, 12);
    expect(s.cumulative_pnl).toBeCloseTo(1_500 + 1724.6796832067366, 6);
    expect(r.missing_prices).toEqual([]);
  });

  it('starts cumulative P&L at the first daily P&L and has no daily return without a previous snapshot', () => {
    const s = calculateSnapshot({ ...input, previousSnapshot: null }).snapshot!;
    expect(s.daily_return).toBeNull();
    expect(s.cumulative_pnl).toBeCloseTo(s.daily_pnl!, 12);
  });

  it('cash only: total value is the cash, P&L zero', () => {
    const s = calculateSnapshot({ ...input, positions: [] }).snapshot!;
    expect(s).toMatchObject({ total_value: 5000, gross_exposure: 0, daily_pnl: 0, position_count: 0 });
  });

  it('reports a missing close and produces no snapshot (never values at zero)', () => {
    const partial = new Map(prices);
    partial.delete('MSFT');
    const res = calculateSnapshot({ ...input, prices: partial });
    expect(res.snapshot).toBeNull();
    expect(res.reason).toBe('no close for MSFT on 2025-03-14');
    expect(res.missing_prices).toEqual([{ symbol: 'MSFT', date: '2025-03-14' }]);
  });

  it('leaves daily and cumulative P&L null when a previous close is missing', () => {
    const partial = new Map(prices);
    partial.set('AAPL', { close: 110, previousClose: null });
    const res = calculateSnapshot({ ...input, prices: partial });
    expect(res.snapshot!.total_value).toBeCloseTo(7347.98272461236, 6);
    expect(res.snapshot!.daily_pnl).toBeNull();
    expect(res.snapshot!.cumulative_pnl).toBeNull();
    expect(res.missing_prices).toEqual([{ symbol: 'AAPL', date: '2025-03-13' }]);
    // the position opened today needs no previous close
    expect(res.positions.find((p) => p.position_id === 'new-today')!.daily_pnl).toBe(20);
  });

  it('values an expired option at intrinsic value', () => {
    const expired = pos('expired-call', {
      symbol: 'XYZ250301C00040000', quantity: 1, entryPrice: 5, positionType: 'LC', underlyingSymbol: 'XYZ',
      strikePrice: 40, expirationDate: d('2025-03-01'),
    });
    const res = calculateSnapshot({ ...input, positions: [expired] });
    // intrinsic (49 − 40) × 100 = 900; yesterday (48 − 40) × 100 = 800
    expect(res.positions[0]).toMatchObject({ option_price: 9, market_value: 900, daily_pnl: 100, unrealized_pnl: 400 });
  });

  it('refuses an option without an underlying, strike or expiry, with a reason', () => {
    const bad = pos('bad', { positionType: 'LP', underlyingSymbol: null, strikePrice: 10 });
    expect(calculateSnapshot({ ...input, positions: [bad] }).reason).toMatch(/has no underlying symbol/);
    const noStrike = pos('bad2', { positionType: 'LP', underlyingSymbol: 'SPY', expirationDate: d('2025-06-20') });
    expect(calculateSnapshot({ ...input, positions: [noStrike] }).reason).toMatch(/lacks a strike price or expiration/);
  });
});

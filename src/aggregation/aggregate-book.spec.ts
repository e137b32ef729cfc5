import type { LedgerPositionValuation } from '../analytics/calculators';
import type { PerformanceDay } from '../analytics/performance/performance-history.store';
import type { CalendarDate, PositionId } from '../common/branded';
import { bookReturns, exposuresOf, mergePositions, mergedTags } from './aggregate-book';

const position = (id: string, symbol: string, quantity: number, price: number, over: Partial<LedgerPositionValuation> = {}): LedgerPositionValuation => ({
  position_id: id as PositionId, symbol, price_symbol: symbol, price, option_price: null, market_value: quantity * price,
  unrealized_pnl: quantity * (price - 100), daily_pnl: quantity, position_type: quantity < 0 ? 'SHORT' : 'LONG', quantity,
  entry_price: 100, entry_date: '2024-01-02' as CalendarDate, cost_basis: quantity * 100, underlying_symbol: null, strike_price: null,
  expiration_date: null, implied_volatility: null, ...over,
});

describe('mergePositions', () => {
  const a = [position('a1', 'AAPL', 100, 200), position('a2', 'MSFT', -20, 400)];
  const b = [position('b1', 'AAPL', 50, 200, { entry_price: 130, cost_basis: 6500, entry_date: '2024-02-01' as CalendarDate }), position('b2', 'MSFT', 20, 400)];
  const merged = mergePositions([a, b]);

  it('one holding per instrument: quantities, values, cost and P&L add up; entry price weighted, entry date the earliest', () => {
    expect(merged).toHaveLength(1); // MSFT nets to zero: a flat book holds nothing
    const aapl = merged[0].position;
    expect(merged[0].members).toEqual(['a1', 'b1']);
    expect(aapl).toMatchObject({ position_id: 'a1', quantity: 150, market_value: 30_000, cost_basis: 16_500, daily_pnl: 150, entry_date: '2024-01-02' });
    expect(aapl.entry_price).toBeCloseTo((100 * 100 + 50 * 130) / 150, 12);
  });

  it('the position type follows the net side', () => {
    const [m] = mergePositions([[position('x', 'TSLA', 10, 50)], [position('y', 'TSLA', -30, 50)]]);
    expect(m.position).toMatchObject({ quantity: -20, position_type: 'SHORT', market_value: -1000 });
    const call = (id: string, q: number) => position(id, 'C1', q, 5, { position_type: q > 0 ? 'LC' : 'SC', price_symbol: 'AAPL' });
    expect(mergePositions([[call('c', 2)], [call('d', -5)]])[0].position.position_type).toBe('SC');
  });

  it('tags: the union of the members\' tags', () => {
    const tags = mergedTags(merged, new Map([['a1', ['core']], ['b1', ['growth', 'core']]]));
    expect(tags).toEqual(new Map([['a1', ['core', 'growth']]]));
  });

  it('long, short, gross and net of the merged list', () => {
    expect(exposuresOf([position('x', 'X', 10, 10), position('y', 'Y', -5, 10)])).toEqual({ long_value: 100, short_value: -50, gross_exposure: 150, net_exposure: 50 });
  });
});

describe('bookReturns', () => {
  const day = (date: string, value: number, netFlows: number): PerformanceDay => ({
    date: date as CalendarDate, value, netFlows, realizedPnl: 0, income: 0, fees: 0, unrealizedPnl: 0,
  });

  it('flow-neutral returns of the summed values: the first day on its flows, a later deposit in the base', () => {
    // day 1: 1,000 in, worth 1,010 → 1%; day 2: +500 deposit, 1,010 + 500 = 1,510 base, worth 1,480 → −1.9868%
    const r = bookReturns([day('2025-01-02', 1010, 1000), day('2025-01-03', 1480, 500)]);
    expect(r[0].dailyReturn).toBeCloseTo(0.01, 14);
    expect(r[1].dailyReturn).toBeCloseTo(1480 / 1510 - 1, 14);
    expect(r[1].totalValue).toBe(1480);
  });
});

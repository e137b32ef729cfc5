import { LedgerError } from '../ledger.types';
import { d, LedgerBuilder, LiteralFacts } from './fixtures.spec-helper';
import { replayLedger, validateLedger } from './index';

/**
 * IRS Publication 564 (Mutual Fund Distributions, 2009), Table 3 "Example of
 * How To Figure Basis of Shares Sold": invest $4,000 at $25 (160 shares) on
 * 2/6/08, $4,800 at $20 (240 shares) on 8/7/08, reinvest a $300 dividend at
 * $30 (10 shares) on 12/18/08, sell 210 shares at $32 for $6,720 on 10/1/09.
 * FIFO basis = $4,000 (the 160 shares of 2/6/08) + $1,000 (50 of 8/7/08) =
 * $5,000. Average basis (single category) uses all 410 shares' cost, $9,100:
 * 210 × 9,100 / 410 = $4,660.98 unrounded (the publication rounds the
 * per-share average to cents).
 */
function pub564(method: 'FIFO' | 'AVERAGE') {
  const b = new LedgerBuilder(method);
  const fund = b.stock('FUND');
  b.cash('DEPOSIT', '2008-02-06', 8_800);
  b.add('BUY', '2008-02-06', fund, { quantity: 160, price: 25 });
  b.add('BUY', '2008-08-07', fund, { quantity: 240, price: 20 });
  b.cash('DIVIDEND', '2008-12-18', 300);
  b.add('BUY', '2008-12-18', fund, { quantity: 10, price: 30 });
  b.add('SELL', '2009-10-01', fund, { quantity: 210, price: 32 });
  const state = replayLedger(b.build(), new LiteralFacts());
  const day = state.advanceTo(d('2009-10-01'));
  return { state, day };
}

describe('lots: IRS Publication 564 Table 3', () => {
  it('FIFO sells the 160 shares of 2/6/08 and 50 of 8/7/08: basis $5,000, gain $1,720', () => {
    const { state, day } = pub564('FIFO');
    expect(day.realized.map((m) => [m.openedAt, m.quantity, m.cost])).toEqual([
      ['2008-02-06', 160, 4_000],
      ['2008-08-07', 50, 1_000],
    ]);
    expect(day.realizedPnl).toBeCloseTo(6_720 - 5_000, 9);
    expect(state.openLots().map((l) => [l.openedAt, l.quantity, l.costBasis])).toEqual([
      ['2008-08-07', 190, 3_800],
      ['2008-12-18', 10, 300],
    ]);
    expect(state.cash).toBeCloseTo(8_800 + 300 - 4_000 - 4_800 - 300 + 6_720, 9);
  });

  it('AVERAGE uses the single-category average of all 410 shares: basis 210 × 9,100/410', () => {
    const { state, day } = pub564('AVERAGE');
    const basis = (210 * 9_100) / 410;
    expect(basis).toBeCloseTo(4_660.98, 2);
    const cost = day.realized.reduce((s, m) => s + m.cost, 0);
    expect(cost).toBeCloseTo(basis, 9);
    expect(day.realizedPnl).toBeCloseTo(6_720 - basis, 9);
    const [position] = state.positions();
    expect(position.quantity).toBeCloseTo(200, 12);
    expect(position.costBasis).toBeCloseTo(9_100 - basis, 9);
    expect(position.costPerUnit).toBeCloseTo(9_100 / 410, 12);
    // the lots keep their opening dates (holding periods stay FIFO)
    expect(state.openLots().map((l) => l.openedAt)).toEqual(['2008-08-07', '2008-12-18']);
  });
});

describe('lots: fees and shorts', () => {
  it('puts buy fees into cost and takes sell fees from proceeds', () => {
    const b = new LedgerBuilder();
    const aapl = b.stock('AAPL');
    b.add('BUY', '2025-01-02', aapl, { quantity: 100, price: 10, fees: 5 });
    b.add('SELL', '2025-01-03', aapl, { quantity: 40, price: 12, fees: 2 });
    const state = replayLedger(b.build(), new LiteralFacts());
    const first = state.advanceTo(d('2025-01-02'));
    expect(first.fees).toBe(5);
    expect(state.openLots()[0].costPerUnit).toBeCloseTo(10.05, 12);
    const day = state.advanceTo(d('2025-01-03'));
    expect(day.realized[0].cost).toBeCloseTo(40 * 10.05, 9);
    expect(day.realized[0].proceeds).toBeCloseTo(480 - 2, 9);
    expect(day.realizedPnl).toBeCloseTo(478 - 402, 9);
    expect(day.fees).toBe(2);
    expect(state.cash).toBeCloseTo(-1_005 + 478, 9);
    expect(day.cashByHolding.get(aapl)).toBeCloseTo(478, 9);
  });

  it('books a short at its credit net of fees and realizes credit − cover cost, positive when profitable', () => {
    const b = new LedgerBuilder();
    const short = b.stock('TSLA', 'SHORT');
    b.add('SELL_SHORT', '2025-01-02', short, { quantity: 10, price: 200, fees: 4 });
    b.add('BUY_TO_COVER', '2025-01-10', short, { quantity: 6, price: 150, fees: 3 });
    const state = replayLedger(b.build(), new LiteralFacts());
    state.advanceTo(d('2025-01-02'));
    expect(state.positions()[0]).toMatchObject({ quantity: -10, costBasis: -1_996 });
    const day = state.advanceTo(d('2025-01-10'));
    const [match] = day.realized;
    expect(match.quantity).toBe(-6);
    expect(match.proceeds).toBeCloseTo(1_996 * 0.6, 9);
    expect(match.cost).toBeCloseTo(903, 9);
    expect(match.realizedPnl).toBeCloseTo(1_197.6 - 903, 9);
    expect(state.cash).toBeCloseTo(1_996 - 903, 9);
    expect(state.positions()[0].quantity).toBeCloseTo(-4, 12);
  });

  it('averages short lots under AVERAGE', () => {
    const b = new LedgerBuilder('AVERAGE');
    const short = b.stock('XYZ', 'SHORT');
    b.add('SELL_SHORT', '2025-01-02', short, { quantity: 10, price: 50 });
    b.add('SELL_SHORT', '2025-01-03', short, { quantity: 30, price: 30 });
    b.add('BUY_TO_COVER', '2025-01-04', short, { quantity: 10, price: 20 });
    const state = replayLedger(b.build(), new LiteralFacts());
    const day = state.advanceTo(d('2025-01-04'));
    // average credit (500 + 900) / 40 = 35; FIFO would realize 500 − 200
    expect(day.realizedPnl).toBeCloseTo(350 - 200, 9);
  });
});

describe('lots: shortfall', () => {
  it('names the shortfall of a sale beyond what is held', () => {
    const b = new LedgerBuilder();
    const aapl = b.stock('AAPL');
    b.add('BUY', '2025-03-01', aapl, { quantity: 100, price: 10 });
    const sell = b.add('SELL', '2025-03-02', aapl, { quantity: 150, price: 11 });
    const err = validateLedger(b.build(), new LiteralFacts(), d('2025-03-31'));
    expect(err).toBeInstanceOf(LedgerError);
    expect(err?.message).toBe('SELL 150 AAPL on 2025-03-02: 100 held, shortfall 50 (use SELL_SHORT to open a short)');
    expect(err?.details).toEqual({ transactionId: sell, date: '2025-03-02', positionId: aapl, symbol: 'AAPL', shortfall: 50 });
  });

  it('rejects a cover, a transfer out or a sale on a holding with no lots', () => {
    const b = new LedgerBuilder();
    const short = b.stock('AAPL', 'SHORT');
    const long = b.stock('MSFT');
    b.add('BUY_TO_COVER', '2025-03-02', short, { quantity: 1, price: 11 });
    expect(validateLedger(b.build(), new LiteralFacts(), d('2025-03-02'))?.details.shortfall).toBe(1);
    const c = new LedgerBuilder();
    c.stock('MSFT');
    c.add('TRANSFER_OUT', '2025-03-02', long, { quantity: 5, price: 1 });
    expect(validateLedger(c.build(), new LiteralFacts(), d('2025-03-02'))?.message).toBe('TRANSFER_OUT 5 MSFT on 2025-03-02: 0 held, shortfall 5');
  });

  it('accepts the same ledger up to the date before the bad sale', () => {
    const b = new LedgerBuilder();
    const aapl = b.stock('AAPL');
    b.add('BUY', '2025-03-01', aapl, { quantity: 100, price: 10 });
    b.add('SELL', '2025-03-02', aapl, { quantity: 150, price: 11 });
    expect(validateLedger(b.build(), new LiteralFacts(), d('2025-03-01'))).toBeNull();
  });

  it('rejects a trade on the wrong side of a holding', () => {
    const b = new LedgerBuilder();
    const aapl = b.stock('AAPL');
    b.add('SELL_SHORT', '2025-03-01', aapl, { quantity: 1, price: 10 });
    expect(validateLedger(b.build(), new LiteralFacts(), d('2025-03-01'))?.message).toContain('SELL_SHORT acts on a short holding; AAPL is LONG');
  });
});

import { d, LedgerBuilder, LiteralFacts } from './fixtures.spec-helper';
import { replayLedger } from './index';

describe('splits', () => {
  it.each([
    ['2-for-1', 2, 100, 200, 50],
    ['3-for-2', 1.5, 100, 150, 100 / 1.5],
    ['1-for-10 reverse', 0.1, 100, 10, 1_000],
  ])('%s at the open of the ex-date: quantity × ratio, cost per unit ÷ ratio, no P&L', (_name, ratio, before, after, costPerUnit) => {
    const b = new LedgerBuilder();
    const aapl = b.stock('AAPL');
    b.add('BUY', '2025-01-02', aapl, { quantity: 60, price: 100 });
    b.add('BUY', '2025-01-03', aapl, { quantity: 40, price: 100 });
    // a sale on the ex-date is in post-split shares: it sells the first lot whole
    b.add('SELL', '2025-02-03', aapl, { quantity: 60 * ratio, price: 100 / ratio });
    const facts = new LiteralFacts().split('AAPL', '2025-02-03', ratio);
    const state = replayLedger(b.build(), facts);
    state.advanceTo(d('2025-02-02'));
    expect(state.positions()[0].quantity).toBe(before);
    const day = state.advanceTo(d('2025-02-03'));
    expect(day.generated[0]).toMatchObject({ key: `SPLIT|${aapl}|2025-02-03`, type: 'SPLIT', ratio, quantity: after });
    expect(day.realizedPnl).toBeCloseTo(0, 9);
    const [position] = state.positions();
    expect(position.quantity).toBeCloseTo(40 * ratio, 9);
    expect(position.costPerUnit).toBeCloseTo(costPerUnit, 9);
    expect(position.costBasis).toBeCloseTo(4_000, 9);
  });

  it('adjusts options on the symbol: contracts × ratio, strike ÷ ratio, and exercises into the adjusted shares', () => {
    const b = new LedgerBuilder();
    const call = b.option('AAPL', 'CALL', true, 150, '2025-03-21');
    b.add('BUY', '2025-01-02', call, { quantity: 1, price: 5 });
    const facts = new LiteralFacts().split('AAPL', '2025-02-03', 2).setClose('AAPL', '2025-03-21', 80);
    const state = replayLedger(b.build(), facts);
    state.advanceTo(d('2025-02-03'));
    expect(state.positions()[0]).toMatchObject({ quantity: 2, costBasis: 500 });
    expect(state.holdings.get(call)!.strikePrice).toBe(75);
    const day = state.advanceTo(d('2025-03-21'));
    expect(day.generated.map((g) => [g.type, g.quantity])).toEqual([['EXERCISE', 2], ['BUY', 200]]);
    expect(state.cash).toBeCloseTo(-500 - 75 * 200, 9);
  });

  it('leaves holdings of other symbols and closed holdings alone', () => {
    const b = new LedgerBuilder();
    const msft = b.stock('MSFT');
    const aapl = b.stock('AAPL');
    b.add('BUY', '2025-01-02', msft, { quantity: 10, price: 100 });
    b.add('BUY', '2025-01-02', aapl, { quantity: 10, price: 100 });
    b.add('SELL', '2025-01-03', aapl, { quantity: 10, price: 100 });
    const state = replayLedger(b.build(), new LiteralFacts().split('AAPL', '2025-02-03', 4));
    expect(state.advanceTo(d('2025-02-03')).generated).toEqual([]);
    expect(state.positions().map((p) => p.quantity)).toEqual([10]);
  });
});

describe('cash dividends', () => {
  function withDividend(payDate: string | null) {
    const b = new LedgerBuilder();
    const long = b.stock('KO');
    const short = b.stock('KO', 'SHORT');
    b.add('BUY', '2025-03-10', long, { quantity: 100, price: 60 });
    b.add('SELL_SHORT', '2025-03-10', short, { quantity: 30, price: 60 });
    // bought on the ex-date: not entitled
    b.add('BUY', '2025-03-14', long, { quantity: 50, price: 60 });
    // sold on the ex-date: still entitled (held at the previous close)
    b.add('SELL', '2025-03-14', long, { quantity: 20, price: 60 });
    const facts = new LiteralFacts().dividend('KO', '2025-03-14', 0.5, payDate);
    return { state: replayLedger(b.build(), facts), long, short };
  }

  it('pays longs and charges shorts on the quantity held at the close before the ex-date, on the pay date', () => {
    const { state, long, short } = withDividend('2025-04-01');
    expect(state.advanceTo(d('2025-03-14')).income).toBe(0);
    state.advanceTo(d('2025-03-31'));
    const cashBefore = state.cash;
    const day = state.advanceTo(d('2025-04-01'));
    expect(day.income).toBeCloseTo(100 * 0.5 - 30 * 0.5, 9);
    expect(state.cash - cashBefore).toBeCloseTo(35, 9);
    expect(day.cashByHolding.get(long)).toBeCloseTo(50, 9);
    expect(day.cashByHolding.get(short)).toBeCloseTo(-15, 9);
    expect(day.generated.map((g) => [g.key, g.type, g.quantity, g.price, g.amount])).toEqual([
      [`DIVIDEND|${long}|2025-03-14`, 'DIVIDEND', 100, 0.5, 50],
      [`DIVIDEND|${short}|2025-03-14`, 'DIVIDEND', 30, 0.5, 15],
    ]);
    expect(day.generated[1].note).toContain('charged to the short');
  });

  it('pays on the ex-date when the pay date is unknown', () => {
    const { state } = withDividend(null);
    expect(state.advanceTo(d('2025-03-14')).income).toBeCloseTo(35, 9);
  });

  it('pays a dividend whose ex-date passed inside one multi-day jump', () => {
    const { state } = withDividend('2025-04-01');
    const day = state.advanceTo(d('2025-04-30'));
    expect(day.income).toBeCloseTo(35, 9);
  });

  it('keys a special dividend on the same ex-date apart from the regular one', () => {
    const b = new LedgerBuilder();
    const ko = b.stock('KO');
    b.add('BUY', '2025-03-10', ko, { quantity: 10, price: 60 });
    const facts = new LiteralFacts().dividend('KO', '2025-03-14', 0.5).dividend('KO', '2025-03-14', 2);
    const day = replayLedger(b.build(), facts).advanceTo(d('2025-03-14'));
    expect(day.generated.map((g) => [g.key, g.amount])).toEqual([[`DIVIDEND|${ko}|2025-03-14`, 5], [`DIVIDEND|${ko}|2025-03-14|2`, 20]]);
    expect(day.income).toBeCloseTo(25, 9);
  });
});

import type { PositionId } from '../../common/branded';
import type { LedgerTransaction } from '../ledger.types';
import { d, LedgerBuilder, LiteralFacts } from './fixtures.spec-helper';
import { replayLedger, validateLedger } from './index';

describe('replayLedger: order within a date', () => {
  it('applies the split at the open, the trades, the dividend, then the expiry at the close', () => {
    const b = new LedgerBuilder();
    const stock = b.stock('XYZ');
    const put = b.option('XYZ', 'PUT', true, 30, '2025-05-16');
    b.add('BUY', '2025-05-01', stock, { quantity: 100, price: 50 });
    b.add('BUY', '2025-05-01', put, { quantity: 1, price: 1 });
    // in post-split shares: only possible after the 2-for-1 split at the open
    b.add('SELL', '2025-05-16', stock, { quantity: 150, price: 25 });
    const facts = new LiteralFacts()
      .split('XYZ', '2025-05-16', 2)
      .dividend('XYZ', '2025-05-16', 0.1)
      .setClose('XYZ', '2025-05-16', 14);
    const state = replayLedger(b.build(), facts);
    const day = state.advanceTo(d('2025-05-16'));
    expect(day.generated.map((g) => g.type)).toEqual(['SPLIT', 'SPLIT', 'DIVIDEND', 'EXERCISE', 'SELL', 'SELL_SHORT']);
    // dividend on the 100 shares held at the close before the ex-date
    expect(day.income).toBeCloseTo(10, 9);
    // the put (now 2 contracts, strike 15, $1 in the money) delivers the remaining 50 shares and sells 150 short
    expect(state.positions().map((p) => [p.holding.positionType, p.quantity])).toEqual([['SHORT', -150]]);
  });

  it('applies a date\'s transactions by sequence, not by position in the array', () => {
    const b = new LedgerBuilder();
    const stock = b.stock('XYZ');
    b.add('BUY', '2025-05-01', stock, { quantity: 10, price: 5 });
    b.add('SELL', '2025-05-01', stock, { quantity: 10, price: 6 });
    const ledger = b.build();
    const reversed: LedgerTransaction[] = [...ledger.transactions].reverse();
    expect(validateLedger({ ...ledger, transactions: reversed }, new LiteralFacts(), d('2025-05-01'))).toBeNull();
  });
});

describe('replayLedger: walking forward', () => {
  function book() {
    const b = new LedgerBuilder();
    const stock = b.stock('XYZ');
    b.cash('DEPOSIT', '2025-01-02', 10_000);
    b.add('BUY', '2025-01-02', stock, { quantity: 10, price: 100, fees: 1 });
    b.add('SELL', '2025-01-06', stock, { quantity: 4, price: 110, fees: 1 });
    b.cash('WITHDRAWAL', '2025-01-07', 500);
    b.cash('INTEREST', '2025-01-07', 3);
    b.cash('FEE', '2025-01-08', 2);
    return { ledger: b.build(), stock };
  }

  it('aggregates every date up to the target into one activity dated the target', () => {
    const { ledger } = book();
    const state = replayLedger(ledger, new LiteralFacts());
    expect(state.asOf).toBeNull();
    const day = state.advanceTo(d('2025-01-31'));
    expect(state.asOf).toBe('2025-01-31');
    expect(day.date).toBe('2025-01-31');
    expect(day.cashFlows).toBe(9_500);
    expect(day.fees).toBe(4);
    expect(day.income).toBe(3);
    expect(day.realizedPnl).toBeCloseTo(4 * 110 - 1 - 4 * 100.1, 9);
    expect(state.cash).toBeCloseTo(10_000 - 1_001 + 439 - 500 + 3 - 2, 9);
  });

  it('returns an empty activity for a date with nothing and refuses to walk back', () => {
    const { ledger } = book();
    const state = replayLedger(ledger, new LiteralFacts());
    state.advanceTo(d('2025-01-03'));
    const quiet = state.advanceTo(d('2025-01-05'));
    expect(quiet).toMatchObject({ realizedPnl: 0, income: 0, fees: 0, cashFlows: 0, transfers: [], realized: [], generated: [] });
    expect(() => state.advanceTo(d('2025-01-04'))).toThrow('walks forward');
  });

  it('ignores persisted system transactions (the replay regenerates them)', () => {
    const { ledger, stock } = book();
    const system: LedgerTransaction = { ...ledger.transactions[1], id: 'sys' as never, type: 'SELL', source: 'system', quantity: 1_000 };
    const state = replayLedger({ ...ledger, transactions: [...ledger.transactions, system] }, new LiteralFacts());
    state.advanceTo(d('2025-01-31'));
    expect(state.positions().find((p) => p.holding.id === stock)?.quantity).toBe(6);
  });

  it('moves transfers with no cash but their fees, signed by direction', () => {
    const b = new LedgerBuilder();
    const long = b.stock('XYZ');
    const short = b.stock('ABC', 'SHORT');
    b.add('TRANSFER_IN', '2025-01-02', long, { quantity: 10, price: 80, fees: 5 });
    b.add('TRANSFER_IN', '2025-01-02', short, { quantity: 3, price: 20 });
    b.add('TRANSFER_OUT', '2025-01-03', long, { quantity: 4, price: 80 });
    const state = replayLedger(b.build(), new LiteralFacts());
    const first = state.advanceTo(d('2025-01-02'));
    expect(first.transfers).toEqual([{ positionId: long, signedQuantity: 10 }, { positionId: short, signedQuantity: -3 }]);
    expect(first.fees).toBe(5);
    expect(first.cashFlows).toBe(0);
    expect(state.cash).toBe(-5);
    expect(state.positions().map((p) => [p.quantity, p.costBasis])).toEqual([[10, 800], [-3, -60]]);
    const second = state.advanceTo(d('2025-01-03'));
    expect(second.transfers).toEqual([{ positionId: long, signedQuantity: -4 }]);
    expect(second.realized).toEqual([]);
    expect(state.positions()[0]).toMatchObject({ quantity: 6, costBasis: 480 });
  });

  it('rejects a transaction on an unknown holding', () => {
    const b = new LedgerBuilder();
    b.add('BUY', '2025-01-02', 'nope' as PositionId, { quantity: 1, price: 1 });
    expect(validateLedger(b.build(), new LiteralFacts(), d('2025-01-02'))?.message).toBe('BUY on 2025-01-02: unknown holding nope');
  });

  it('replays an empty ledger to an empty book', () => {
    const state = replayLedger(new LedgerBuilder().build(), new LiteralFacts());
    expect(state.advanceTo(d('2025-01-02')).generated).toEqual([]);
    expect(state.positions()).toEqual([]);
    expect(state.cash).toBe(0);
  });
});

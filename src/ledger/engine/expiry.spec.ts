import type { CalendarDate } from '../../common/branded';
import { LedgerError, LedgerState } from '../ledger.types';
import { d, LedgerBuilder, LiteralFacts } from './fixtures.spec-helper';
import { holdingIdFor, intrinsicValue, isOptionHolding, replayLedger } from './index';

/**
 * OCC Rule 805 (exercise by exception): at expiration an equity option in the
 * money by $0.01 or more is exercised automatically; otherwise it expires.
 * Physical settlement: 100 shares per contract at the strike.
 */

const EXPIRY = '2025-06-20';

/** Book value at the underlying's close: cash + shares at S + options at intrinsic (100 per contract). */
function bookValue(state: LedgerState, facts: LiteralFacts, date: CalendarDate): number {
  let value = state.cash;
  for (const p of state.positions()) {
    if (isOptionHolding(p.holding)) {
      const s = facts.close(p.holding.underlyingSymbol as string, date) as number;
      value += p.quantity * 100 * Math.max(0, intrinsicValue(p.holding, s));
    } else value += p.quantity * (facts.close(p.holding.symbol, date) as number);
  }
  return value;
}

interface Case {
  right: 'CALL' | 'PUT';
  long: boolean;
  strike: number;
  close: number;
  stock?: { direction: 'LONG' | 'SHORT'; quantity: number };
}

/** One contract bought (long) or written (short) at $2.00 the day before expiry, with an optional stock holding. */
function expire(c: Case) {
  const b = new LedgerBuilder();
  b.cash('DEPOSIT', '2025-06-18', 100_000);
  if (c.stock) {
    const stock = b.stock('XYZ', c.stock.direction);
    b.add(c.stock.direction === 'LONG' ? 'BUY' : 'SELL_SHORT', '2025-06-18', stock, { quantity: c.stock.quantity, price: c.strike });
  }
  const option = b.option('XYZ', c.right, c.long, c.strike, EXPIRY);
  b.add(c.long ? 'BUY' : 'SELL_SHORT', '2025-06-19', option, { quantity: 1, price: 2 });
  const facts = new LiteralFacts().setClose('XYZ', '2025-06-18', c.strike).setClose('XYZ', EXPIRY, c.close);
  const state = replayLedger(b.build(), facts);
  state.advanceTo(d('2025-06-19'));
  const cashBefore = state.cash;
  // the option's value at the expiration close, before settlement: its intrinsic value
  const before = bookValue(state, facts, d(EXPIRY));
  const day = state.advanceTo(d(EXPIRY));
  return { state, day, option, cashBefore, before, after: bookValue(state, facts, d(EXPIRY)) };
}

describe('option expiry: OCC Rule 805 exercise by exception', () => {
  it('exercises a long call $0.01 in the money into 100 shares for the strike', () => {
    const r = expire({ right: 'CALL', long: true, strike: 150, close: 150.01 });
    expect(r.day.generated.map((g) => [g.key, g.type, g.quantity])).toEqual([
      [`EXERCISE|${r.option}|${EXPIRY}`, 'EXERCISE', 1],
      [`EXERCISE|${r.option}|${EXPIRY}|SHARES`, 'BUY', 100],
    ]);
    expect(r.state.cash - r.cashBefore).toBeCloseTo(-150 * 100, 6);
    // the option closes at intrinsic value: 0.01 × 100 − 200 premium
    expect(r.day.realizedPnl).toBeCloseTo(1 - 200, 6);
    expect(r.day.generated.map((g) => g.symbol)).toEqual([null, 'XYZ']);
    const [shares] = r.state.positions();
    expect(shares).toMatchObject({ quantity: 100, openedAt: EXPIRY });
    expect(shares.holding.symbol).toBe('XYZ');
    expect(r.after).toBeCloseTo(r.before, 6);
  });

  it('lets a long call $0.009 in the money expire worthless', () => {
    const r = expire({ right: 'CALL', long: true, strike: 150, close: 150.009 });
    expect(r.day.generated.map((g) => [g.type, g.price])).toEqual([['EXPIRE', 0]]);
    expect(r.day.realizedPnl).toBeCloseTo(-200, 9);
    expect(r.state.positions()).toEqual([]);
    expect(r.state.cash).toBe(r.cashBefore);
  });

  it('exercises a long put into a short sale of 100 shares at the strike when no shares are held', () => {
    const r = expire({ right: 'PUT', long: true, strike: 100, close: 99.99 });
    expect(r.day.generated.map((g) => g.type)).toEqual(['EXERCISE', 'SELL_SHORT']);
    expect(r.state.cash - r.cashBefore).toBeCloseTo(100 * 100, 6);
    expect(r.state.positions().map((p) => [p.holding.positionType, p.quantity])).toEqual([['SHORT', -100]]);
    expect(r.after).toBeCloseTo(r.before, 6);
  });

  it('lets a long put $0.009 in the money expire', () => {
    const r = expire({ right: 'PUT', long: true, strike: 100, close: 99.991 });
    expect(r.day.generated.map((g) => g.type)).toEqual(['EXPIRE']);
  });

  it('assigns a short call: delivers the 60 shares held, sells short the other 40, receives the strike', () => {
    const r = expire({ right: 'CALL', long: false, strike: 50, close: 50.01, stock: { direction: 'LONG', quantity: 60 } });
    expect(r.day.generated.map((g) => [g.key.split('|')[0], g.type, g.quantity])).toEqual([
      ['ASSIGN', 'ASSIGN', 1],
      ['ASSIGN', 'SELL', 60],
      ['ASSIGN', 'SELL_SHORT', 40],
    ]);
    expect(r.state.cash - r.cashBefore).toBeCloseTo(50 * 100, 6);
    // the written call closes at 0.01 × 100 against its 200 credit; the 60 shares bought at 50 sell at 50.01
    expect(r.day.realizedPnl).toBeCloseTo(200 - 1 + 60 * 0.01, 6);
    expect(r.state.positions().map((p) => [p.holding.positionType, p.quantity])).toEqual([['SHORT', -40]]);
    expect(r.after).toBeCloseTo(r.before, 6);
  });

  it('assigns a short put: covers the 30 shares short first, buys the other 70, pays the strike', () => {
    const r = expire({ right: 'PUT', long: false, strike: 40, close: 39.99, stock: { direction: 'SHORT', quantity: 30 } });
    expect(r.day.generated.map((g) => [g.type, g.quantity])).toEqual([['ASSIGN', 1], ['BUY_TO_COVER', 30], ['BUY', 70]]);
    expect(r.state.cash - r.cashBefore).toBeCloseTo(-40 * 100, 6);
    expect(r.state.positions().map((p) => [p.holding.positionType, p.quantity])).toEqual([['LONG', 70]]);
    expect(r.after).toBeCloseTo(r.before, 6);
  });

  it('lets a short put $0.009 in the money expire, realizing the whole credit', () => {
    const r = expire({ right: 'PUT', long: false, strike: 40, close: 39.991 });
    expect(r.day.generated.map((g) => g.type)).toEqual(['EXPIRE']);
    expect(r.day.realizedPnl).toBeCloseTo(200, 9);
    expect(r.state.positions()).toEqual([]);
  });

  it('lets a short call exactly at the money expire', () => {
    const r = expire({ right: 'CALL', long: false, strike: 40, close: 40 });
    expect(r.day.generated.map((g) => g.type)).toEqual(['EXPIRE']);
  });

  it('creates the share holding it needs with the deterministic id', () => {
    const r = expire({ right: 'CALL', long: true, strike: 150, close: 160 });
    const leg = r.day.generated[1];
    expect(leg.positionId).toBe(holdingIdFor(r.state.portfolioId, 'XYZ', 'LONG'));
    expect(leg.symbol).toBe('XYZ');
    expect(r.state.holdings.get(leg.positionId!)).toMatchObject({ symbol: 'XYZ', positionType: 'LONG', optionType: null });
  });
});

describe('option expiry without the underlying close', () => {
  it('waits with a note and settles on a later call once the close is known', () => {
    const b = new LedgerBuilder();
    const option = b.option('XYZ', 'CALL', true, 10, EXPIRY);
    b.add('BUY', '2025-06-02', option, { quantity: 2, price: 1 });
    const facts = new LiteralFacts();
    const state = replayLedger(b.build(), facts);
    const day = state.advanceTo(d(EXPIRY));
    expect(day.generated).toEqual([]);
    expect(state.notes).toEqual([`expiry of ${b.holdings.get(option)!.symbol} waits for a close of XYZ on ${EXPIRY}`]);
    expect(state.positions()).toHaveLength(1);
    facts.setClose('XYZ', EXPIRY, 12);
    const later = state.advanceTo(d('2025-06-23'));
    expect(later.generated.map((g) => [g.type, g.date])).toEqual([['EXERCISE', '2025-06-23'], ['BUY', '2025-06-23']]);
    expect(state.notes).toEqual([]);
    expect(state.positions().map((p) => p.quantity)).toEqual([200]);
  });
});

describe('early exercise and assignment entered by the user', () => {
  it('settles at the underlying close of its date', () => {
    const b = new LedgerBuilder();
    const option = b.option('XYZ', 'CALL', true, 10, EXPIRY);
    b.add('BUY', '2025-06-02', option, { quantity: 3, price: 1 });
    const tx = b.add('EXERCISE', '2025-06-05', option, { quantity: 2 });
    const facts = new LiteralFacts().setClose('XYZ', '2025-06-05', 13);
    const state = replayLedger(b.build(), facts);
    const day = state.advanceTo(d('2025-06-05'));
    expect(day.generated.map((g) => [g.key, g.type, g.quantity])).toEqual([[`EXERCISE|${option}|2025-06-05|${tx}|SHARES`, 'BUY', 200]]);
    expect(day.realized[0]).toMatchObject({ quantity: 2, closingTransactionId: tx });
    expect(day.realizedPnl).toBeCloseTo(2 * 100 * 3 - 200, 9);
    expect(state.cash).toBeCloseTo(-300 - 10 * 200, 9);
    expect(state.positions().map((p) => p.quantity).sort()).toEqual([1, 200]);
  });

  it('is rejected without a close of the underlying on its date', () => {
    const b = new LedgerBuilder();
    const option = b.option('XYZ', 'PUT', false, 10, EXPIRY);
    b.add('SELL_SHORT', '2025-06-02', option, { quantity: 1, price: 1 });
    b.add('ASSIGN', '2025-06-05', option, {});
    const state = replayLedger(b.build(), new LiteralFacts());
    expect(() => state.advanceTo(d('2025-06-05'))).toThrow(LedgerError);
    expect(() => replayLedger(b.build(), new LiteralFacts()).advanceTo(d('2025-06-05'))).toThrow(/no close for XYZ on 2025-06-05/);
  });

  it('refuses to open an option after its expiration date', () => {
    const b = new LedgerBuilder();
    const option = b.option('XYZ', 'CALL', true, 10, EXPIRY);
    b.add('BUY', '2025-06-23', option, { quantity: 1, price: 1 });
    const state = replayLedger(b.build(), new LiteralFacts());
    expect(() => state.advanceTo(d('2025-06-23'))).toThrow(`BUY on 2025-06-23: ${b.holdings.get(option)!.symbol} expired on ${EXPIRY}`);
  });
});

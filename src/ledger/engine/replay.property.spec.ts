/**
 * Property tests over random ledgers (seeded, no dependencies): every ledger
 * is generated from a seed, then repaired by dropping the transactions the
 * engine rejects, so it is a valid book.
 */
import type { CalendarDate, PositionId } from '../../common/branded';
import { addDays } from '../../common/dates';
import type { GeneratedTransaction, Holding, LedgerState } from '../ledger.types';
import { LiteralFacts } from './fixtures.spec-helper';
import { intrinsicValue, isLongHolding, isOptionHolding, multiplierOf, replayLedger } from './index';
import { DAYS, randomWorld, World } from './random-ledger.spec-helper';

const LEDGERS = 200;

/** Replays day by day, calling `check` after each day with everything generated so far. */
function walk(world: World, check: (state: LedgerState, day: CalendarDate, generated: GeneratedTransaction[]) => void): LedgerState {
  const state = replayLedger(world.ledger, world.facts);
  const generated: GeneratedTransaction[] = [];
  for (const day of world.days) {
    generated.push(...state.advanceTo(day).generated);
    check(state, day, generated);
  }
  return state;
}

const SIGN: Record<string, number> = { BUY: 1, TRANSFER_IN: 1, SELL: -1, TRANSFER_OUT: -1, SELL_SHORT: -1, BUY_TO_COVER: 1 };

/** Quantity of each holding from the transactions alone: signed trades × the splits since, minus expiries and exercises. */
function expectedQuantities(world: World, holdings: ReadonlyMap<PositionId, Holding>, asOf: CalendarDate, generated: GeneratedTransaction[]) {
  const out = new Map<PositionId, number>();
  const splitFactor = (h: Holding, from: CalendarDate) =>
    world.splits
      .filter((s) => s.symbol === (isOptionHolding(h) ? h.underlyingSymbol : h.symbol) && s.date > from && s.date <= asOf)
      .reduce((f, s) => f * s.ratio, 1);
  const add = (id: PositionId, type: string, quantity: number, date: CalendarDate) => {
    const h = holdings.get(id)!;
    const transferSign = type.startsWith('TRANSFER') && !isLongHolding(h) ? -1 : 1;
    const closing = type === 'EXPIRE' || type === 'EXERCISE' || type === 'ASSIGN' ? (isLongHolding(h) ? -1 : 1) : SIGN[type] * transferSign;
    out.set(id, (out.get(id) ?? 0) + closing * quantity * splitFactor(h, date));
  };
  for (const tx of world.ledger.transactions) if (tx.positionId && tx.date <= asOf) add(tx.positionId, tx.type, tx.quantity!, tx.date);
  for (const g of generated) if (g.type !== 'SPLIT' && g.type !== 'DIVIDEND') add(g.positionId!, g.type, g.quantity!, g.date);
  return out;
}

/** Cash from the stored transactions and the generated ones, as a statement would reconcile it. */
function cashLegs(world: World, holdings: ReadonlyMap<PositionId, Holding>, asOf: CalendarDate, generated: GeneratedTransaction[]): number {
  let cash = 0;
  for (const tx of world.ledger.transactions) {
    if (tx.date > asOf) continue;
    const gross = tx.positionId ? tx.quantity! * tx.price! * multiplierOf(holdings.get(tx.positionId)!) : 0;
    const legs: Record<string, number> = {
      BUY: -gross - tx.fees, SELL: gross - tx.fees, SELL_SHORT: gross - tx.fees, BUY_TO_COVER: -gross - tx.fees,
      TRANSFER_IN: -tx.fees, TRANSFER_OUT: -tx.fees,
      DEPOSIT: tx.amount ?? 0, INTEREST: tx.amount ?? 0, WITHDRAWAL: -(tx.amount ?? 0), FEE: -(tx.amount ?? 0),
    };
    cash += legs[tx.type];
  }
  for (const g of generated) {
    const long = g.positionId ? isLongHolding(holdings.get(g.positionId)!) : true;
    if (g.type === 'DIVIDEND') cash += long ? g.amount! : -g.amount!;
    if (g.type === 'EXERCISE' || g.type === 'ASSIGN') cash += (long ? 1 : -1) * g.quantity! * g.price! * 100;
    if (g.type === 'BUY' || g.type === 'BUY_TO_COVER') cash -= g.quantity! * g.price!;
    if (g.type === 'SELL' || g.type === 'SELL_SHORT') cash += g.quantity! * g.price!;
  }
  return cash;
}

/** Market value of the open positions at the day's closes (options at intrinsic value). */
function positionsValue(state: LedgerState, facts: LiteralFacts, day: CalendarDate, symbol?: string): number {
  let value = 0;
  for (const p of state.positions()) {
    const option = isOptionHolding(p.holding);
    const underlying = option ? p.holding.underlyingSymbol! : p.holding.symbol;
    if (symbol && underlying !== symbol) continue;
    const close = facts.close(underlying, day)!;
    value += option ? p.quantity * 100 * Math.max(0, intrinsicValue(p.holding, close)) : p.quantity * close;
  }
  return value;
}

const seeds = Array.from({ length: LEDGERS }, (_, i) => 1_000 + i);

describe('ledger replay properties (200 seeded random ledgers)', () => {
  it('the random ledgers reach every path: trades, splits, dividends on longs and shorts, expiry, exercise, assignment', () => {
    const seen = new Map<string, number>();
    for (const seed of seeds) {
      const world = randomWorld(seed);
      walk(world, (state, _day, generated) => {
        if (_day !== world.days[DAYS - 1]) return;
        for (const g of generated) {
          const side = g.positionId && !isLongHolding(state.holdings.get(g.positionId)!) ? ' short' : '';
          seen.set(g.type + side, (seen.get(g.type + side) ?? 0) + 1);
        }
      });
      for (const tx of world.ledger.transactions) seen.set(`user ${tx.type}`, (seen.get(`user ${tx.type}`) ?? 0) + 1);
    }
    const paths = ['SPLIT', 'SPLIT short', 'DIVIDEND', 'DIVIDEND short', 'EXPIRE', 'EXPIRE short', 'EXERCISE', 'ASSIGN short',
      'BUY', 'SELL', 'SELL_SHORT short', 'user SELL', 'user BUY_TO_COVER', 'user TRANSFER_OUT', 'user WITHDRAWAL'];
    expect(paths.filter((path) => (seen.get(path) ?? 0) < 3)).toEqual([]);
  });

  it('lots always sum to the position, and the position to the transactions (splits applied)', () => {
    for (const seed of seeds) {
      const world = randomWorld(seed);
      const mismatches: string[] = [];
      walk(world, (state, day, generated) => {
        const fromLots = new Map<PositionId, number>();
        for (const lot of state.openLots()) {
          if (Math.sign(lot.quantity) !== (isLongHolding(state.holdings.get(lot.positionId)!) ? 1 : -1)) mismatches.push(`${day} lot sign ${lot.quantity}`);
          fromLots.set(lot.positionId, (fromLots.get(lot.positionId) ?? 0) + lot.quantity);
        }
        const positions = new Map(state.positions().map((p) => [p.holding.id, p.quantity]));
        for (const [id, quantity] of expectedQuantities(world, state.holdings, day, generated)) {
          const lots = fromLots.get(id) ?? 0;
          const position = positions.get(id) ?? 0;
          if (Math.abs(lots - quantity) > 1e-6 || Math.abs(position - quantity) > 1e-6) mismatches.push(`${day} ${id}: lots ${lots}, position ${position}, transactions ${quantity}`);
        }
      });
      expect({ seed, mismatches }).toEqual({ seed, mismatches: [] });
    }
  });

  it('cash equals the sum of the cash legs, and each day the activity explains the change', () => {
    for (const seed of seeds) {
      const world = randomWorld(seed);
      let previous = 0;
      const mismatches: string[] = [];
      const state = replayLedger(world.ledger, world.facts);
      const generated: GeneratedTransaction[] = [];
      for (const day of world.days) {
        const activity = state.advanceTo(day);
        generated.push(...activity.generated);
        const byHolding = [...activity.cashByHolding.values()].reduce((s, v) => s + v, 0);
        const unattributed = world.ledger.transactions
          .filter((tx) => tx.date === day && !tx.positionId && ['INTEREST', 'FEE'].includes(tx.type))
          .reduce((s, tx) => s + (tx.type === 'FEE' ? -tx.amount! : tx.amount!), 0);
        const explained = activity.cashFlows + byHolding + unattributed;
        if (Math.abs(state.cash - previous - explained) > 1e-6) mismatches.push(`${day}: cash moved ${state.cash - previous}, activity ${explained}`);
        previous = state.cash;
      }
      expect({ seed, mismatches }).toEqual({ seed, mismatches: [] });
      expect(state.cash).toBeCloseTo(cashLegs(world, state.holdings, world.days[DAYS - 1], generated), 6);
    }
  });

  it('a split leaves the market value (at split-consistent closes) and the cost basis unchanged', () => {
    let checked = 0;
    for (const seed of seeds) {
      const world = randomWorld(seed);
      const state = replayLedger(world.ledger, world.facts);
      for (const day of world.days) {
        const split = world.splits.find((s) => s.date === day);
        const quiet = !world.ledger.transactions.some((tx) => tx.date === day);
        if (!split || !quiet) {
          state.advanceTo(day);
          continue;
        }
        const basis = () => state.positions().filter((p) => (p.holding.underlyingSymbol ?? p.holding.symbol) === split.symbol).reduce((s, p) => s + p.costBasis, 0);
        const before = { value: positionsValue(state, world.facts, addDays(day, -1), split.symbol), basis: basis() };
        const activity = state.advanceTo(day);
        if (activity.generated.some((g) => g.type !== 'SPLIT' && g.type !== 'DIVIDEND')) continue;
        // the split-consistent close: yesterday's close ÷ ratio (today's close is unadjusted, so that is the same price)
        const consistent = new LiteralFacts();
        for (const p of state.positions()) {
          const u = p.holding.underlyingSymbol ?? p.holding.symbol;
          consistent.setClose(u, day, world.facts.close(u, addDays(day, -1))! / split.ratio);
        }
        expect(positionsValue(state, consistent, day, split.symbol)).toBeCloseTo(before.value, 6);
        expect(basis()).toBeCloseTo(before.basis, 6);
        if (before.basis !== 0) checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('one advanceTo gives the same state as walking day by day', () => {
    for (const seed of seeds) {
      const world = randomWorld(seed);
      const generated: GeneratedTransaction[] = [];
      const daily = walk(world, (_s, _d, g) => generated.splice(0, generated.length, ...g));
      const jump = replayLedger(world.ledger, world.facts);
      const activity = jump.advanceTo(world.days[DAYS - 1]);
      expect(jump.cash).toBeCloseTo(daily.cash, 6);
      expect(jump.cumulativeRealizedPnl).toBeCloseTo(daily.cumulativeRealizedPnl, 6);
      expect(jump.openLots()).toEqual(daily.openLots());
      expect(jump.realized()).toEqual(daily.realized());
      expect(jump.positions()).toEqual(daily.positions());
      expect([...jump.holdings.values()]).toEqual([...daily.holdings.values()]);
      expect(activity.generated.map((g) => g.key)).toEqual(generated.map((g) => g.key));
    }
  });

  it('FIFO and AVERAGE differ only in how cost splits between realized P&L and open lots', () => {
    for (const seed of seeds) {
      const world = randomWorld(seed);
      const last = world.days[DAYS - 1];
      // a transfer out takes cost away unrealized (the oldest lots' under FIFO, the average under AVERAGE): left out here
      const ledger = { ...world.ledger, transactions: world.ledger.transactions.filter((tx) => tx.type !== 'TRANSFER_OUT') };
      const fifo = replayLedger(ledger, world.facts);
      const average = replayLedger({ ...ledger, costBasisMethod: 'AVERAGE' }, world.facts);
      fifo.advanceTo(last);
      average.advanceTo(last);
      expect(average.cash).toBeCloseTo(fifo.cash, 6);
      const openCost = (s: LedgerState) => s.openLots().reduce((sum, l) => sum + l.costBasis, 0);
      expect(average.cumulativeRealizedPnl - openCost(average)).toBeCloseTo(fifo.cumulativeRealizedPnl - openCost(fifo), 6);
      expect(average.positions().map((p) => p.quantity)).toEqual(fifo.positions().map((p) => expect.closeTo(p.quantity, 6)));
    }
  });
});

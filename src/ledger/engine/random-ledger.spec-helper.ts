/**
 * Random valid ledgers for the property specs: seeded closes (unadjusted, so
 * they drop by the ratio on a split's ex-date), splits, dividends and a
 * random blotter, repaired by dropping the transactions the engine rejects.
 * Imported only by specs.
 */
import type { CalendarDate } from '../../common/branded';
import { addDays } from '../../common/dates';
import type { PortfolioLedger } from '../ledger.types';
import { d, LedgerBuilder, LiteralFacts } from './fixtures.spec-helper';
import { isLongHolding, validateLedger } from './index';
import { mulberry32 } from '../../market-data/providers/synthetic-random';

const START = d('2025-01-01');
export const DAYS = 90;

export interface World {
  readonly ledger: PortfolioLedger;
  readonly facts: LiteralFacts;
  readonly days: CalendarDate[];
  readonly splits: ReadonlyArray<{ symbol: string; date: CalendarDate; ratio: number }>;
}

const SYMBOLS: Record<string, number> = { AAA: 100, BBB: 50, CCC: 20 };

function randomFacts(rnd: () => number, days: CalendarDate[]) {
  const facts = new LiteralFacts();
  const splits: Array<{ symbol: string; date: CalendarDate; ratio: number }> = [];
  for (const [symbol, start] of Object.entries(SYMBOLS)) {
    const splitDay = rnd() < 0.6 ? 5 + Math.floor(rnd() * (DAYS - 10)) : -1;
    const ratio = [2, 1.5, 0.1, 3][Math.floor(rnd() * 4)];
    if (splitDay >= 0) {
      facts.split(symbol, days[splitDay], ratio);
      splits.push({ symbol, date: days[splitDay], ratio });
    }
    let price = start;
    days.forEach((day, i) => {
      price *= 1 + (rnd() - 0.5) * 0.06;
      const unadjusted = i >= splitDay && splitDay >= 0 ? price / ratio : price;
      facts.setClose(symbol, day, Math.round(unadjusted * 100) / 100);
    });
    if (rnd() < 0.7) {
      const ex = Math.floor(rnd() * DAYS);
      facts.dividend(symbol, days[ex], Math.round(rnd() * 100) / 100 + 0.01, rnd() < 0.5 ? null : days[Math.min(DAYS - 1, ex + Math.floor(rnd() * 10))]);
    }
  }
  return { facts, splits };
}

function randomLedger(rnd: () => number, facts: LiteralFacts, days: CalendarDate[]): LedgerBuilder {
  const b = new LedgerBuilder();
  const stocks = Object.keys(SYMBOLS).flatMap((s) => [b.stock(s), b.stock(s, 'SHORT')]);
  const options = [
    b.option('AAA', 'CALL', true, 100, days[30]),
    b.option('AAA', 'PUT', false, 95, days[60]),
    b.option('BBB', 'CALL', false, 50, days[75]),
    b.option('CCC', 'PUT', true, 21, days[45]),
  ];
  b.cash('DEPOSIT', days[0], 50_000);
  const count = 20 + Math.floor(rnd() * 40);
  for (let i = 0; i < count; i++) {
    const day = days[Math.floor(rnd() * DAYS)];
    const pick = rnd();
    const fees = rnd() < 0.5 ? 0 : Math.round(rnd() * 500) / 100;
    if (pick < 0.1) b.cash((['DEPOSIT', 'WITHDRAWAL', 'INTEREST', 'FEE'] as const)[Math.floor(rnd() * 4)], day, Math.round(rnd() * 100_000) / 100 + 1);
    else if (pick < 0.75) {
      const id = stocks[Math.floor(rnd() * stocks.length)];
      const long = isLongHolding(b.holdings.get(id)!);
      const type = rnd() < 0.08 ? (rnd() < 0.5 ? 'TRANSFER_IN' : 'TRANSFER_OUT') : rnd() < 0.55 ? (long ? 'BUY' : 'SELL_SHORT') : long ? 'SELL' : 'BUY_TO_COVER';
      const price = facts.close(b.holdings.get(id)!.symbol, day)!;
      b.add(type, day, id, { quantity: 1 + Math.floor(rnd() * 80) + (rnd() < 0.2 ? 0.5 : 0), price, fees });
    } else {
      const id = options[Math.floor(rnd() * options.length)];
      const long = isLongHolding(b.holdings.get(id)!);
      const type = rnd() < 0.7 ? (long ? 'BUY' : 'SELL_SHORT') : long ? 'SELL' : 'BUY_TO_COVER';
      b.add(type, day, id, { quantity: 1 + Math.floor(rnd() * 3), price: Math.round(rnd() * 500) / 100 + 0.05, fees });
    }
  }
  return b;
}

const worlds = new Map<number, World>();

/** A random valid book (memoized per seed): the transactions the engine rejects are dropped one by one. */
export function randomWorld(seed: number): World {
  const known = worlds.get(seed);
  if (known) return known;
  const world = buildWorld(seed);
  worlds.set(seed, world);
  return world;
}

function buildWorld(seed: number): World {
  const rnd = mulberry32(seed);
  const days = Array.from({ length: DAYS }, (_, i) => addDays(START, i));
  const { facts, splits } = randomFacts(rnd, days);
  let ledger = randomLedger(rnd, facts, days).build();
  for (let guard = 0; guard < 200; guard++) {
    const error = validateLedger(ledger, facts, days[DAYS - 1]);
    if (!error) break;
    ledger = { ...ledger, transactions: ledger.transactions.filter((tx) => tx.id !== error.details.transactionId) };
  }
  if (validateLedger(ledger, facts, days[DAYS - 1])) throw new Error(`seed ${seed}: could not repair the random ledger`);
  return { ledger, facts, days, splits };
}

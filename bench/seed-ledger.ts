import type { CalendarDate } from '../src/common/branded';
import { addDays } from '../src/common/dates';
import type { SyntheticMarketDataProvider } from '../src/market-data/providers/synthetic-provider';

/** Column arrays of `positions` (holdings) rows for one bulk INSERT. */
export interface HoldingColumns {
  id: string[];
  pid: string[];
  sym: string[];
  type: string[];
  und: (string | null)[];
  strike: (number | null)[];
  exp: (string | null)[];
  iv: (number | null)[];
}

/** Column arrays of `transactions` rows for one bulk INSERT, in (portfolio, date, order) order. */
export interface TransactionColumns {
  pid: string[];
  pos: (string | null)[];
  type: string[];
  date: string[];
  qty: (number | null)[];
  px: (number | null)[];
  fees: number[];
  amount: (number | null)[];
}

export const emptyHoldings = (): HoldingColumns => ({ id: [], pid: [], sym: [], type: [], und: [], strike: [], exp: [], iv: [] });
export const emptyTransactions = (): TransactionColumns => ({ pid: [], pos: [], type: [], date: [], qty: [], px: [], fees: [], amount: [] });

interface Tx {
  pos: string | null;
  type: string;
  date: CalendarDate;
  order: number;
  qty: number | null;
  px: number | null;
  fees: number;
  amount: number | null;
}

export interface LedgerBookContext {
  random: () => number;
  newId: () => string;
  prices: SyntheticMarketDataProvider;
  /** Trading days of the history, ascending (trades happen on these). */
  days: CalendarDate[];
  optionShare: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

/**
 * One holding's trades: an opening trade early in the history, then partial
 * closes and re-opens on later days (never closing more than is held), at the
 * synthetic close of the day. Returns the cash the trades took (+) or gave (−).
 */
function stockTrades(c: LedgerBookContext, pos: string, symbol: string, short: boolean, out: Tx[]): number {
  const { random, days } = c;
  let i = Math.floor(random() * Math.max(1, days.length * 0.4));
  const open = short ? 'SELL_SHORT' : 'BUY';
  const close = short ? 'BUY_TO_COVER' : 'SELL';
  const spot0 = c.prices.closeOn(symbol, days[i]) ?? 100;
  let held = Math.max(10, Math.round((5_000 + random() * 95_000) / spot0));
  let spent = 0;
  const trade = (type: string, qty: number) => {
    const px = round2(c.prices.closeOn(symbol, days[i]) ?? 100);
    const fees = round2(1 + random() * 4);
    out.push({ pos, type, date: days[i], order: out.length, qty, px, fees, amount: null });
    spent += (type === open ? 1 : -1) * qty * px * (short ? -1 : 1) + fees;
  };
  trade(open, held);
  const events = 5 + Math.floor(random() * 6);
  for (let k = 0; k < events; k++) {
    i += 1 + Math.floor(random() * Math.max(1, (days.length - 1 - i) / (events - k + 1)));
    if (i >= days.length) break;
    if (k % 2 === 0 && held > 2) {
      const qty = Math.max(1, Math.floor(held * (0.2 + 0.3 * random())));
      held -= qty;
      trade(close, qty);
    } else {
      const qty = Math.max(1, Math.round(held * (0.1 + 0.3 * random())));
      held += qty;
      trade(open, qty);
    }
  }
  return spent;
}

/** An option opened early (bought, or written for SC/SP) and partly closed later; expiry after the history. */
function optionTrades(c: LedgerBookContext, pos: string, type: string, premium: number, out: Tx[]): number {
  const { random, days } = c;
  let i = Math.floor(random() * Math.max(1, days.length * 0.5));
  const short = type.startsWith('S');
  const contracts = 2 + Math.floor(random() * 9);
  out.push({ pos, type: short ? 'SELL_SHORT' : 'BUY', date: days[i], order: out.length, qty: contracts, px: premium, fees: 1.3, amount: null });
  let spent = (short ? -1 : 1) * contracts * premium * 100 + 1.3;
  i += 1 + Math.floor(random() * Math.max(1, days.length - 1 - i));
  if (i < days.length) {
    const qty = Math.floor(contracts / 2);
    out.push({ pos, type: short ? 'BUY_TO_COVER' : 'SELL', date: days[i], order: out.length, qty, px: round2(premium * (0.7 + 0.6 * random())), fees: 1.3, amount: null });
    spent += (short ? 1 : -1) * qty * premium * 100;
  }
  return spent;
}

/** A few interest credits, fees, withdrawals and extra deposits across the history. */
function cashEvents(c: LedgerBookContext, deposit: number, out: Tx[]): void {
  const kinds: Array<[string, number]> = [['FEE', 25], ['FEE', 40], ['INTEREST', 60], ['INTEREST', 45], ['WITHDRAWAL', deposit * 0.02], ['DEPOSIT', deposit * 0.03], ['DIVIDEND', 80]];
  for (const [type, amount] of kinds) {
    const date = c.days[1 + Math.floor(c.random() * Math.max(1, c.days.length - 1))] ?? c.days[0];
    out.push({ pos: null, type, date, order: out.length, qty: null, px: null, fees: 0, amount: round2(amount) });
  }
}

/**
 * One portfolio's ledger: `symbols` holdings (stocks long or short, a share
 * of options on them) and a few hundred transactions over the history: an
 * opening deposit, the trades, a few cash events.
 */
export function seedPortfolioLedger(c: LedgerBookContext, pid: string, symbols: string[], h: HoldingColumns, t: TransactionColumns): number {
  const txs: Tx[] = [];
  let cashNeeded = 0;
  for (const symbol of symbols) {
    const id = c.newId();
    h.id.push(id);
    h.pid.push(pid);
    if (c.random() < c.optionShare) {
      const type = pick(c.random, ['LC', 'LP', 'SC', 'SP'] as const);
      const entry = c.days[0];
      const spot = c.prices.closeOn(symbol, entry) ?? 100;
      const strike = Math.max(1, Math.round(spot * (0.8 + 0.4 * c.random())));
      const expiration = addDays(c.days[c.days.length - 1], 365 + Math.floor(c.random() * 365));
      h.sym.push(`${symbol}${expiration.slice(2).replace(/-/g, '')}${type.endsWith('C') ? 'C' : 'P'}${String(strike * 1000).padStart(8, '0')}`);
      h.type.push(type);
      h.und.push(symbol);
      h.strike.push(strike);
      h.exp.push(expiration);
      h.iv.push(Math.round((0.15 + 0.3 * c.random()) * 1000) / 1000);
      cashNeeded += optionTrades(c, id, type, round2(spot * 0.06), txs);
    } else {
      const short = c.random() < 0.15;
      h.sym.push(symbol);
      h.type.push(short ? 'SHORT' : 'LONG');
      h.und.push(null);
      h.strike.push(null);
      h.exp.push(null);
      h.iv.push(null);
      cashNeeded += stockTrades(c, id, symbol, short, txs);
    }
  }
  const deposit = round2(Math.max(10_000, cashNeeded * (1.05 + 0.3 * c.random())));
  txs.push({ pos: null, type: 'DEPOSIT', date: c.days[0], order: -1, qty: null, px: null, fees: 0, amount: deposit });
  cashEvents(c, deposit, txs);
  txs.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  for (const x of txs) {
    t.pid.push(pid);
    t.pos.push(x.pos);
    t.type.push(x.type);
    t.date.push(x.date);
    t.qty.push(x.qty);
    t.px.push(x.px);
    t.fees.push(x.fees);
    t.amount.push(x.amount);
  }
  return txs.length;
}

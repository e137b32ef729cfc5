import { CalendarDate, PositionId } from '../../common/branded';
import { isPresent } from '../math';
import { entryCost, isOption, markPosition, priceSymbolOf } from './position-valuation';
import { AnalyticsSettings, MissingPrice, PositionInput } from './types';

/** Closing prices of one symbol: on the calculation date and the previous trading day. */
export interface PriceQuote {
  readonly close: number | null;
  readonly previousClose: number | null;
}

/** Anything with `get(symbol)`, e.g. a `Map<string, PriceQuote>`. */
export interface PriceLookup {
  get(symbol: string): PriceQuote | undefined;
}

export interface PreviousSnapshot {
  readonly totalValue: number;
  /** Null when the previous day's cumulative P&L could not be computed. */
  readonly cumulativePnl: number | null;
}

export interface SnapshotInput {
  readonly calculationDate: CalendarDate;
  /** The trading day before `calculationDate` (its closes are `previousClose`). */
  readonly previousDate: CalendarDate;
  readonly cashBalance: number;
  readonly positions: readonly PositionInput[];
  readonly prices: PriceLookup;
  /** The portfolio's snapshot on the previous trading day, or null if none. */
  readonly previousSnapshot: PreviousSnapshot | null;
  readonly settings: AnalyticsSettings;
}

/** Stored daily snapshot (snake_case, as persisted and served). */
export interface SnapshotRecord {
  readonly snapshot_date: CalendarDate;
  /** Positions' market value + cash. */
  readonly total_value: number;
  readonly cash_balance: number;
  /** Σ positive position market values. */
  readonly long_value: number;
  /** Σ negative position market values — SIGNED, so ≤ 0. */
  readonly short_value: number;
  /** long_value − short_value = Σ |market value|. */
  readonly gross_exposure: number;
  /** long_value + short_value. */
  readonly net_exposure: number;
  /** Σ position daily P&L; null when a previous close is missing. */
  readonly daily_pnl: number | null;
  /** daily_pnl / previous snapshot's total_value; null with no (positive) previous value. */
  readonly daily_return: number | null;
  /** Previous cumulative_pnl (0 when there is no previous snapshot) + daily_pnl. */
  readonly cumulative_pnl: number | null;
  readonly position_count: number;
}

export interface PositionValuation {
  readonly position_id: PositionId;
  readonly symbol: string;
  /** The symbol whose close was used (the underlying for options). */
  readonly price_symbol: string;
  /** Close of `price_symbol` on the calculation date. */
  readonly price: number;
  /** Per-share Black–Scholes value for options, null for stocks. */
  readonly option_price: number | null;
  /** Signed: negative for shorts. */
  readonly market_value: number;
  readonly unrealized_pnl: number;
  /** Today's value − yesterday's (or − entry cost when opened since the previous trading day). */
  readonly daily_pnl: number | null;
}

export interface SnapshotResult {
  /** Null when a position could not be valued (see `reason` and `missing_prices`). */
  readonly snapshot: SnapshotRecord | null;
  readonly reason: string | null;
  /** Valued positions (those without a price are absent). */
  readonly positions: PositionValuation[];
  readonly missing_prices: MissingPrice[];
  /** Non-fatal remarks, e.g. why daily_pnl is null. */
  readonly notes: string[];
}

interface Acc {
  positions: PositionValuation[];
  missing: Map<string, MissingPrice>;
  problems: string[];
  notes: string[];
}

/**
 * Values every position held on `calculationDate` (entry date on or before
 * it) and books daily and cumulative P&L. Stocks at the close; options
 * (multiplier 100) by Black–Scholes from the underlying's close, expired ones
 * at intrinsic value. A missing close is reported, never treated as zero: no
 * snapshot is produced without every today's price; a missing previous close
 * leaves daily/cumulative P&L null.
 */
export function calculateSnapshot(input: SnapshotInput): SnapshotResult {
  const acc: Acc = { positions: [], missing: new Map(), problems: [], notes: [] };
  let held = 0;
  for (const p of input.positions) {
    if (p.entryDate > input.calculationDate) continue;
    held++;
    valueOne(p, input, acc);
  }
  const missing_prices = [...acc.missing.values()];
  const base = { positions: acc.positions, missing_prices, notes: acc.notes };
  if (acc.problems.length > 0) return { snapshot: null, reason: acc.problems.join('; '), ...base };
  return { snapshot: totals(input, acc.positions, held), reason: null, ...base };
}

function valueOne(p: PositionInput, input: SnapshotInput, acc: Acc): void {
  if (isOption(p.positionType) && !p.underlyingSymbol) {
    acc.problems.push(`option position ${p.id} (${p.symbol}) has no underlying symbol`);
    return;
  }
  const sym = priceSymbolOf(p);
  const quote = input.prices.get(sym);
  const close = quote?.close;
  if (!isPresent(close)) {
    noteMissing(acc, sym, input.calculationDate);
    acc.problems.push(`no close for ${sym} on ${input.calculationDate}`);
    return;
  }
  const mark = markPosition(p, close, input.calculationDate, input.settings);
  if (mark.value === null) {
    acc.problems.push(`position ${p.id} (${p.symbol}): ${mark.reason}`);
    return;
  }
  const mv = mark.value.marketValue;
  acc.positions.push({
    position_id: p.id,
    symbol: p.symbol,
    price_symbol: sym,
    price: close,
    option_price: isOption(p.positionType) ? mark.value.unitPrice : null,
    market_value: mv,
    unrealized_pnl: mv - entryCost(p),
    daily_pnl: dailyPnl(p, sym, mv, quote?.previousClose ?? null, input, acc),
  });
}

function dailyPnl(
  p: PositionInput,
  sym: string,
  marketValue: number,
  previousClose: number | null,
  input: SnapshotInput,
  acc: Acc,
): number | null {
  if (p.entryDate > input.previousDate) return marketValue - entryCost(p);
  if (!isPresent(previousClose)) {
    noteMissing(acc, sym, input.previousDate);
    acc.notes.push(`daily P&L of position ${p.id} unknown: no close for ${sym} on ${input.previousDate}`);
    return null;
  }
  const before = markPosition(p, previousClose, input.previousDate, input.settings);
  if (before.value === null) {
    acc.notes.push(`daily P&L of position ${p.id} unknown: ${before.reason}`);
    return null;
  }
  return marketValue - before.value.marketValue;
}

function noteMissing(acc: Acc, symbol: string, date: CalendarDate): void {
  acc.missing.set(`${symbol}|${date}`, { symbol, date });
}

function totals(input: SnapshotInput, positions: readonly PositionValuation[], held: number): SnapshotRecord {
  let long = 0;
  let short = 0;
  let daily: number | null = 0;
  for (const v of positions) {
    if (v.market_value >= 0) long += v.market_value;
    else short += v.market_value;
    daily = daily === null || v.daily_pnl === null ? null : daily + v.daily_pnl;
  }
  const prev = input.previousSnapshot;
  const net = long + short;
  const prevCumulative = prev === null ? 0 : prev.cumulativePnl;
  return {
    snapshot_date: input.calculationDate,
    total_value: net + input.cashBalance,
    cash_balance: input.cashBalance,
    long_value: long,
    short_value: short,
    gross_exposure: long - short,
    net_exposure: net,
    daily_pnl: daily,
    daily_return: daily !== null && prev !== null && prev.totalValue > 0 ? daily / prev.totalValue : null,
    cumulative_pnl: daily !== null && prevCumulative !== null ? prevCumulative + daily : null,
    position_count: held,
  };
}

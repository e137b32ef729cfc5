import type { LedgerPositionValuation, SnapshotHistoryPoint } from '../analytics/calculators';
import type { PerformanceDay } from '../analytics/performance/performance-history.store';
import { flowNeutralReturns } from '../analytics/math';
import type { CalendarDate, PositionId } from '../common/branded';

/**
 * Several portfolios as one book (pure, no I/O): what a single portfolio
 * holding all their transactions would show.
 */

/** A merged holding and the holdings it came from. */
export interface MergedPosition {
  readonly position: LedgerPositionValuation;
  readonly members: readonly PositionId[];
}

/**
 * One position per instrument (symbol): quantities, market values, cost,
 * unrealized and daily P&L add up, as one ledger holding all the lots would
 * hold them. The merged holding keeps the first member's id; its entry date
 * is the earliest and its entry price the quantity-weighted one. Instruments
 * netting to zero are dropped (a flat book holds nothing). When members have
 * opposite signs the cost is an approximation (one ledger would have closed
 * lots first-in first-out); values, exposures and risk are exact.
 */
export function mergePositions(books: ReadonlyArray<readonly LedgerPositionValuation[]>): MergedPosition[] {
  const bySymbol = new Map<string, LedgerPositionValuation[]>();
  for (const positions of books) {
    for (const p of positions) {
      const list = bySymbol.get(p.symbol);
      if (list) list.push(p);
      else bySymbol.set(p.symbol, [p]);
    }
  }
  const out: MergedPosition[] = [];
  for (const members of bySymbol.values()) {
    const merged = members.length === 1 ? members[0] : mergeOne(members);
    if (merged.quantity !== 0) out.push({ position: merged, members: members.map((m) => m.position_id) });
  }
  return out;
}

function mergeOne(members: readonly LedgerPositionValuation[]): LedgerPositionValuation {
  const first = members[0];
  const sum = (f: (p: LedgerPositionValuation) => number): number => members.reduce((s, p) => s + f(p), 0);
  const quantity = sum((p) => p.quantity);
  const side = members.filter((p) => Math.sign(p.quantity) === Math.sign(quantity));
  const sideQty = side.reduce((s, p) => s + Math.abs(p.quantity), 0);
  return {
    ...first,
    quantity,
    position_type: positionTypeFor(first.position_type, quantity),
    market_value: sum((p) => p.market_value),
    unrealized_pnl: sum((p) => p.unrealized_pnl),
    daily_pnl: sum((p) => p.daily_pnl),
    cost_basis: sum((p) => p.cost_basis),
    entry_price: sideQty > 0 ? side.reduce((s, p) => s + Math.abs(p.quantity) * p.entry_price, 0) / sideQty : first.entry_price,
    entry_date: members.reduce((d, p) => (p.entry_date < d ? p.entry_date : d), first.entry_date),
  };
}

/** LONG/SHORT, or long/short call/put, by the sign of the net quantity. */
function positionTypeFor(type: LedgerPositionValuation['position_type'], quantity: number): LedgerPositionValuation['position_type'] {
  const long = quantity > 0;
  if (type === 'LONG' || type === 'SHORT') return long ? 'LONG' : 'SHORT';
  const call = type === 'LC' || type === 'SC';
  return call ? (long ? 'LC' : 'SC') : long ? 'LP' : 'SP';
}

/** The union of the members' tags for each merged position (keyed by its id). */
export function mergedTags(merged: readonly MergedPosition[], tags: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of merged) {
    const all = new Set<string>();
    for (const id of m.members) for (const t of tags.get(id) ?? []) all.add(t);
    if (all.size) out.set(m.position.position_id, [...all].sort());
  }
  return out;
}

/**
 * Summed daily history → the one book's flow-neutral daily returns
 * (DESIGN §8): r_d = (V_d − (V_{d−1} + F_d)) / (V_{d−1} + F_d), the first
 * day's base its flows. `days` ascending, every date ≤ the common latest date.
 */
export function bookReturns(days: readonly PerformanceDay[]): SnapshotHistoryPoint[] {
  const returns = flowNeutralReturns(days.map((d) => d.value), days.map((d) => d.netFlows), null);
  return days.map((d, i) => ({ date: d.date, totalValue: d.value, dailyReturn: returns[i] }));
}

/** Long, short, gross and net of a position list (as a snapshot computes them). */
export function exposuresOf(positions: readonly LedgerPositionValuation[]): { long_value: number; short_value: number; gross_exposure: number; net_exposure: number } {
  let long = 0;
  let short = 0;
  for (const p of positions) {
    if (p.market_value > 0) long += p.market_value;
    else short += p.market_value;
  }
  return { long_value: long, short_value: short, gross_exposure: long - short, net_exposure: long + short };
}

/** The history of `days` on or after `from` (the risk phase reads the same window). */
export function historySince(points: readonly SnapshotHistoryPoint[], from: CalendarDate): SnapshotHistoryPoint[] {
  return points.filter((p) => p.date >= from);
}

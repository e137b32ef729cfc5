import type { CalendarDate, PositionId } from '../../common/branded';
import type { DayActivity, Holding, HoldingPosition, OpenLot } from '../../ledger/ledger.types';
import { isPresent } from '../math';
import { isOption, markPosition, multiplierOf, priceSymbolOf } from './position-valuation';
import type { PositionValuation, SnapshotRecord } from './snapshot';
import type { AnalyticsSettings, MissingPrice, PositionInput } from './types';

/** The previous trading day's snapshot, as far as the next day needs it. */
export interface PreviousDayState {
  readonly totalValue: number;
  readonly cumulativePnl: number;
  readonly cumulativeRealizedPnl: number;
  /** Each position's market value at the previous close, by holding id (absent = not held). */
  readonly marketValues: ReadonlyMap<PositionId, number>;
}

export interface LedgerSnapshotInput {
  readonly date: CalendarDate;
  /** Null on the portfolio's first day (then the return's base is the day's flows). */
  readonly previous: PreviousDayState | null;
  readonly activity: DayActivity;
  /** Open holdings at the day's close (LedgerState.positions()). */
  readonly positions: readonly HoldingPosition[];
  /** Every holding known, to value transfers of holdings no longer open. */
  readonly holdings: ReadonlyMap<PositionId, Holding>;
  readonly cash: number;
  /** Close as traded of a symbol on `date`, null/undefined when unknown. */
  readonly close: (symbol: string) => number | null | undefined;
  readonly settings: AnalyticsSettings;
}

/** A snapshot booked from the ledger (DESIGN §8): flows, realized P&L, income and fees of the day. */
export interface LedgerSnapshotRecord extends SnapshotRecord {
  readonly daily_pnl: number;
  readonly cumulative_pnl: number;
  /** External flows of the day: deposits − withdrawals + transfers at the day's close. */
  readonly net_flows: number;
  readonly realized_pnl: number;
  readonly income: number;
  readonly fees: number;
  readonly cumulative_realized_pnl: number;
  /** Σ (market value − cost basis) of the open positions. */
  readonly unrealized_pnl: number;
}

/** A valued holding with what the risk phase needs to rebuild its PositionInput. */
export interface LedgerPositionValuation extends PositionValuation {
  readonly daily_pnl: number;
  readonly position_type: PositionInput['positionType'];
  /** Signed: negative for shorts. */
  readonly quantity: number;
  /** Cost per unit of the open lots (fees included). */
  readonly entry_price: number;
  /** The earliest open lot. */
  readonly entry_date: CalendarDate;
  readonly cost_basis: number;
  readonly underlying_symbol: string | null;
  readonly strike_price: number | null;
  readonly expiration_date: CalendarDate | null;
  readonly implied_volatility: number | null;
}

/** An open lot as a checkpoint stores it (quantity signed like the position, cost per unit with fees). */
export interface StoredLot {
  readonly quantity: number;
  readonly cost_per_unit: number;
  readonly opened_at: CalendarDate;
}

export interface LedgerSnapshotResult {
  /** Null when something could not be valued (see `reason` and `missing_prices`). */
  readonly snapshot: LedgerSnapshotRecord | null;
  readonly reason: string | null;
  readonly positions: LedgerPositionValuation[];
  readonly missing_prices: MissingPrice[];
  /** Non-fatal remarks, e.g. why daily_return is null. */
  readonly notes: string[];
}

/** The calculators' view of an open holding: its lots summed, cost per unit as entry price. */
export function holdingPositionInput(p: HoldingPosition): PositionInput {
  const h = p.holding;
  return {
    id: h.id,
    symbol: h.symbol,
    quantity: p.quantity,
    entryPrice: p.costPerUnit,
    entryDate: p.openedAt,
    positionType: h.positionType,
    underlyingSymbol: h.underlyingSymbol,
    strikePrice: h.strikePrice,
    expirationDate: h.expirationDate,
    impliedVolatility: h.impliedVolatility,
  };
}

interface Valuer {
  readonly missing: Map<string, MissingPrice>;
  readonly problems: string[];
  /** Market value of `quantity` (unsigned) of `input`'s holding at today's close, null when it cannot be valued. */
  value(input: PositionInput): { close: number; unitPrice: number; marketValue: number } | null;
}

function valuer(input: LedgerSnapshotInput): Valuer {
  const missing = new Map<string, MissingPrice>();
  const problems: string[] = [];
  return {
    missing,
    problems,
    value(p) {
      if (isOption(p.positionType) && !p.underlyingSymbol) {
        problems.push(`option position ${p.id} (${p.symbol}) has no underlying symbol`);
        return null;
      }
      const symbol = priceSymbolOf(p);
      const close = input.close(symbol);
      if (!isPresent(close)) {
        if (!missing.has(symbol)) problems.push(`no close for ${symbol} on ${input.date}`);
        missing.set(symbol, { symbol, date: input.date });
        return null;
      }
      const mark = markPosition(p, close, input.date, input.settings);
      if (mark.value === null) {
        problems.push(`position ${p.id} (${p.symbol}): ${mark.reason}`);
        return null;
      }
      return { close, unitPrice: mark.value.unitPrice, marketValue: mark.value.marketValue };
    },
  };
}

/**
 * Today's external flow of each transferred holding: the change of its signed
 * quantity (in + / out − for a long; the reverse for a short, whose value is
 * negative) at today's close.
 */
function transferFlows(input: LedgerSnapshotInput, v: Valuer): Map<PositionId, number> {
  const flows = new Map<PositionId, number>();
  for (const t of input.activity.transfers) {
    const h = input.holdings.get(t.positionId);
    if (!h) {
      v.problems.push(`transfer of unknown holding ${t.positionId}`);
      continue;
    }
    const moved: PositionInput = {
      id: h.id, symbol: h.symbol, quantity: Math.abs(t.signedQuantity), entryPrice: 0, entryDate: input.date, positionType: h.positionType,
      underlyingSymbol: h.underlyingSymbol, strikePrice: h.strikePrice, expirationDate: h.expirationDate, impliedVolatility: h.impliedVolatility,
    };
    const mark = v.value(moved);
    if (mark) flows.set(t.positionId, (flows.get(t.positionId) ?? 0) + t.signedQuantity * mark.unitPrice * multiplierOf(moved));
  }
  return flows;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The open lots of the valued positions by holding, oldest first: what a
 * later run resumes from (stored once per portfolio, see LedgerCheckpoint).
 */
export function lotsByHolding(lots: readonly OpenLot[], positions: readonly LedgerPositionValuation[]): Map<PositionId, StoredLot[]> {
  const out = new Map<PositionId, StoredLot[]>(positions.map((p) => [p.position_id, []]));
  for (const l of lots) {
    const list = out.get(l.positionId);
    if (list) list.push({ quantity: l.quantity, cost_per_unit: l.costPerUnit, opened_at: l.openedAt });
  }
  return out;
}

function valuePositions(input: LedgerSnapshotInput, v: Valuer, flows: ReadonlyMap<PositionId, number>): LedgerPositionValuation[] {
  const out: LedgerPositionValuation[] = [];
  // one order whatever the path that built the book (a replay from the start or a resumption)
  const ordered = [...input.positions].sort((a, b) => byText(a.holding.symbol, b.holding.symbol) || byText(a.holding.positionType, b.holding.positionType));
  for (const p of ordered) {
    const pi = holdingPositionInput(p);
    const mark = v.value(pi);
    if (!mark) continue;
    const id = p.holding.id;
    const before = input.previous?.marketValues.get(id) ?? 0;
    const cash = input.activity.cashByHolding.get(id) ?? 0;
    out.push({
      position_id: id,
      symbol: pi.symbol,
      price_symbol: priceSymbolOf(pi),
      price: mark.close,
      option_price: isOption(pi.positionType) ? mark.unitPrice : null,
      market_value: mark.marketValue,
      unrealized_pnl: mark.marketValue - p.costBasis,
      daily_pnl: mark.marketValue - before + cash - (flows.get(id) ?? 0),
      position_type: pi.positionType,
      quantity: pi.quantity,
      entry_price: pi.entryPrice,
      entry_date: pi.entryDate,
      cost_basis: p.costBasis,
      underlying_symbol: pi.underlyingSymbol,
      strike_price: pi.strikePrice,
      expiration_date: pi.expirationDate,
      implied_volatility: pi.impliedVolatility,
    });
  }
  return out;
}

/**
 * One day's snapshot of a portfolio from its replayed ledger (DESIGN §6, §8):
 * positions at the close as traded (options by Black–Scholes), cash, and the
 * flow-neutral P&L: daily_pnl = V_d − V_{d−1} − F_d, daily_return =
 * daily_pnl / (V_{d−1} + F_d) (flows at the start of the day; on the first
 * day the base is F_d). A missing close gives no snapshot, naming the symbol
 * and date; it is never read as 0.
 */
export function calculateLedgerSnapshot(input: LedgerSnapshotInput): LedgerSnapshotResult {
  const v = valuer(input);
  const flows = transferFlows(input, v);
  const positions = valuePositions(input, v, flows);
  const missing_prices = [...v.missing.values()];
  const notes: string[] = [];
  if (v.problems.length > 0) return { snapshot: null, reason: v.problems.join('; '), positions, missing_prices, notes };
  let netFlows = input.activity.cashFlows;
  for (const f of flows.values()) netFlows += f;
  return { snapshot: totals(input, positions, netFlows, notes), reason: null, positions, missing_prices, notes };
}

function totals(input: LedgerSnapshotInput, positions: readonly LedgerPositionValuation[], netFlows: number, notes: string[]): LedgerSnapshotRecord {
  let long = 0;
  let short = 0;
  let unrealized = 0;
  for (const p of positions) {
    if (p.market_value >= 0) long += p.market_value;
    else short += p.market_value;
    unrealized += p.unrealized_pnl;
  }
  const prev = input.previous;
  const net = long + short;
  const totalValue = net + input.cash;
  const dailyPnl = totalValue - (prev?.totalValue ?? 0) - netFlows;
  const base = (prev?.totalValue ?? 0) + netFlows;
  if (base <= 0) notes.push(`daily return of ${input.date} undefined: start-of-day value plus flows is ${base}, not positive`);
  const a = input.activity;
  return {
    snapshot_date: input.date,
    total_value: totalValue,
    cash_balance: input.cash,
    long_value: long,
    short_value: short,
    gross_exposure: long - short,
    net_exposure: net,
    daily_pnl: dailyPnl,
    daily_return: base > 0 ? dailyPnl / base : null,
    cumulative_pnl: (prev?.cumulativePnl ?? 0) + dailyPnl,
    position_count: positions.length,
    net_flows: netFlows,
    realized_pnl: a.realizedPnl,
    income: a.income,
    fees: a.fees,
    cumulative_realized_pnl: (prev?.cumulativeRealizedPnl ?? 0) + a.realizedPnl,
    unrealized_pnl: unrealized,
  };
}

/** What the next day needs of a computed snapshot. */
export function previousDayStateOf(s: LedgerSnapshotRecord, positions: readonly LedgerPositionValuation[]): PreviousDayState {
  return {
    totalValue: s.total_value,
    cumulativePnl: s.cumulative_pnl,
    cumulativeRealizedPnl: s.cumulative_realized_pnl,
    marketValues: new Map(positions.map((p) => [p.position_id, p.market_value])),
  };
}

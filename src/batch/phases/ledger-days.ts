import { performance } from 'node:perf_hooks';
import {
  AnalyticsSettings, calculateLedgerSnapshot, LedgerPositionValuation, LedgerSnapshotResult, lotsByHolding, PreviousDayState, previousDayStateOf, StoredLot,
} from '../../analytics/calculators';
import type { StoredSnapshot } from '../../analytics/snapshot.store';
import type { CalendarDate, PortfolioId, PositionId } from '../../common/branded';
import type { GeneratedTransaction, LedgerState, MarketFacts, PortfolioLedger } from '../../ledger/ledger.types';
import { LedgerError } from '../../ledger/ledger.types';
import { isTradingDay, nextTradingDay, tradingDaysBack, tradingDaysBetween } from '../../market-data/calendar';
import { errorText } from './phase-result';

/** Where a portfolio's calculation for `date` starts, or why it cannot. */
export type DerivationPlan =
  | { readonly ok: true; readonly start: CalendarDate; readonly previous: (PreviousDayState & { date: CalendarDate }) | null }
  | { readonly ok: false; readonly error: string };

/**
 * The first trading day to (re)compute for a run on `date`: the one after the
 * latest usable snapshot, else the first trading day on or after the first
 * transaction (an empty ledger, or one starting after `date`: `date` alone).
 * A start more than `maxDays` trading days back fails the portfolio.
 */
export function planDerivation(
  ledger: PortfolioLedger,
  previous: (PreviousDayState & { date: CalendarDate }) | undefined,
  date: CalendarDate,
  maxDays: number,
): DerivationPlan {
  let start: CalendarDate;
  if (previous) start = nextTradingDay(previous.date);
  else if (ledger.inceptionDate !== null && ledger.inceptionDate <= date) {
    start = isTradingDay(ledger.inceptionDate) ? ledger.inceptionDate : nextTradingDay(ledger.inceptionDate);
  } else start = date;
  if (start > date) start = date;
  const bound = tradingDaysBack(date, maxDays);
  if (start < bound) {
    return {
      ok: false,
      error: `snapshots from ${start} need recomputing, more than LEDGER_MAX_RECOMPUTE_DAYS (${maxDays}) trading days before ${date}; ` +
        `run an earlier date first or raise the setting`,
    };
  }
  return { ok: true, start, previous: previous ?? null };
}

export interface DerivationInput {
  readonly portfolioId: PortfolioId;
  readonly ledger: PortfolioLedger;
  readonly facts: MarketFacts;
  readonly replay: (ledger: PortfolioLedger, facts: MarketFacts) => LedgerState;
  readonly start: CalendarDate;
  readonly end: CalendarDate;
  readonly previous: (PreviousDayState & { date: CalendarDate }) | null;
  /** Close as traded of `symbol` on `date`, null when unknown. */
  readonly close: (symbol: string, date: CalendarDate) => number | null;
  readonly settings: AnalyticsSettings;
}

export type Derivation =
  | {
    readonly ok: true;
    readonly rows: StoredSnapshot[];
    readonly generated: GeneratedTransaction[];
    /** The open lots by holding at the last day's close (its positions' order): what a later run resumes from. */
    readonly lots: Map<PositionId, StoredLot[]>;
    readonly replayMs: number;
  }
  | { readonly ok: false; readonly error: string; readonly replayMs: number };

/**
 * Replays the ledger to the day before `start`, then each trading day from
 * `start` to `end` in order (transactions of non-trading days fold into the
 * next trading day), booking each day's snapshot. All or nothing: a ledger
 * error or a missing close fails the whole portfolio, naming why.
 */
export function deriveSnapshots(input: DerivationInput): Derivation {
  let replayMs = 0;
  const timed = <T>(fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      replayMs += performance.now() - t0;
    }
  };
  try {
    const state = timed(() => input.replay(input.ledger, input.facts));
    if (input.previous) timed(() => state.advanceTo(input.previous!.date));
    let previous: PreviousDayState | null = input.previous;
    const rows: StoredSnapshot[] = [];
    const generated: GeneratedTransaction[] = [];
    let last: readonly LedgerPositionValuation[] = [];
    for (const day of tradingDaysBetween(input.start, input.end)) {
      const activity = timed(() => state.advanceTo(day));
      const result = calculateLedgerSnapshot({
        date: day, previous, activity, positions: timed(() => state.positions()), holdings: state.holdings, cash: state.cash,
        close: (symbol) => input.close(symbol, day), settings: input.settings,
      });
      if (!result.snapshot) return { ok: false, error: failureText(result), replayMs };
      rows.push({ ...result.snapshot, portfolio_id: input.portfolioId, positions: result.positions });
      generated.push(...activity.generated);
      previous = previousDayStateOf(result.snapshot, result.positions);
      last = result.positions;
    }
    return { ok: true, rows, generated, lots: lotsByHolding(state.openLots(), last), replayMs };
  } catch (e) {
    return { ok: false, error: e instanceof LedgerError ? `ledger: ${e.message}` : errorText(e), replayMs };
  }
}

function failureText(r: LedgerSnapshotResult): string {
  const missing = r.missing_prices.map((m) => `${m.symbol} on ${m.date}`).join(', ');
  return `${r.reason ?? 'cannot value'}${missing ? ` (missing price: ${missing})` : ''}`;
}

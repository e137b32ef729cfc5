import { CalendarDate } from '../../common/branded';
import type { CorporateAction } from '../../ledger/ledger.types';
import type { SecurityDetails } from '../securities/security-classes';

export type { SecurityDetails } from '../securities/security-classes';

/** One daily bar. Only `close` is required; the rest may be unknown. */
export interface DailyBar {
  symbol: string;
  date: CalendarDate;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  volume: number | null;
}

export type MarketDataProviderName = 'synthetic' | 'csv' | 'polygon';

export interface MarketDataProvider {
  readonly name: MarketDataProviderName;
  /** Bars on trading days in [from, to], ascending. Throws MarketDataError naming the symbol on failure. */
  fetchDailyBars(symbol: string, from: CalendarDate, to: CalendarDate): Promise<DailyBar[]>;
  /**
   * Splits and cash dividends of `symbol` with ex-date in [from, to], ascending by ex-date; [] when there are none.
   * `symbol` on each action is the symbol as asked. Throws MarketDataError naming the symbol on failure.
   */
  fetchCorporateActions(symbol: string, from: CalendarDate, to: CalendarDate): Promise<CorporateAction[]>;
  /**
   * Sector, industry, country and asset class of `symbols` (DESIGN §9). A
   * symbol the provider knows nothing of is either absent (ask again later)
   * or present with null fields (it answered "unknown"; not asked again).
   * A symbol that could not be fetched is in `failed`; never throws for one symbol.
   */
  fetchSecurityDetails(symbols: string[]): Promise<SecurityDetailsResult>;
}

export interface SecurityDetailsResult {
  details: SecurityDetails[];
  failed: Array<{ symbol: string; message: string }>;
}

/** A provider could not deliver prices for `symbol`; the message names the symbol. */
export class MarketDataError extends Error {
  override readonly name = 'MarketDataError';

  constructor(
    readonly symbol: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Short text for a caught value, for error messages. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

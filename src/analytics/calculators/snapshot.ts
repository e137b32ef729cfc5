import type { CalendarDate, PositionId } from '../../common/branded';

/**
 * Stored daily snapshot (snake_case, as persisted and served): the base
 * fields of DESIGN §6, booked from the ledger by ledger-snapshot.ts.
 */
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
  /** V_d − V_{d−1} − net flows (null only on snapshots stored before the ledger). */
  readonly daily_pnl: number | null;
  /** daily_pnl / (V_{d−1} + net flows); null when that base is not positive. */
  readonly daily_return: number | null;
  /** Running sum of daily_pnl. */
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
  /** Today's value − yesterday's + the holding's cash of the day − what was transferred in. */
  readonly daily_pnl: number | null;
}

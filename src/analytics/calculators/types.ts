import { CalendarDate, PositionId } from '../../common/branded';

/** LONG/SHORT stock, long/short call (LC/SC), long/short put (LP/SP). */
export type PositionType = 'LONG' | 'SHORT' | 'LC' | 'LP' | 'SC' | 'SP';

/** Contract multiplier of a listed option. */
export const OPTION_MULTIPLIER = 100;

/** A position as the calculators need it (a subset of the stored entity). */
export interface PositionInput {
  readonly id: PositionId;
  readonly symbol: string;
  /** Signed: negative = short. The sign is normalised from `positionType`. */
  readonly quantity: number;
  /** Per share for stocks, per share (premium) for options. */
  readonly entryPrice: number;
  readonly entryDate: CalendarDate;
  readonly positionType: PositionType;
  /** Required for options: the symbol whose close prices the option. */
  readonly underlyingSymbol: string | null;
  readonly strikePrice: number | null;
  readonly expirationDate: CalendarDate | null;
  /** Annualised (0.25 = 25%); null → `defaultImpliedVolatility`. */
  readonly impliedVolatility: number | null;
}

export interface AnalyticsSettings {
  /** Annual risk-free rate for Black–Scholes and for Sharpe/Sortino (0.04 = 4%). */
  readonly riskFreeRate: number;
  /** Implied volatility used when a position carries none (0.3 = 30%). */
  readonly defaultImpliedVolatility: number;
}

/** A price that was needed but not found. */
export interface MissingPrice {
  readonly symbol: string;
  readonly date: CalendarDate;
}

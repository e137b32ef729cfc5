import { CalendarDate, PositionId } from '../../common/branded';
import { MarketSeries, PriceMatrix } from './market';
import { FactorName, StressScenarioSet } from './stress-scenarios';
import { AnalyticsSettings, MissingPrice, PositionInput } from './types';
import type { ExposuresRecord } from '../exposures/exposure-types';
import type { DecompositionRecord } from './decomposition-types';

/** A position held on the calculation date, with its value from the day's snapshot. */
export interface RiskPositionInput extends PositionInput {
  /** Market value from the snapshot; when omitted it is recomputed from the close. */
  readonly marketValue?: number | null;
}

/** One day of the portfolio's realised snapshot history. */
export interface SnapshotHistoryPoint {
  readonly date: CalendarDate;
  readonly totalValue: number;
  readonly dailyReturn: number | null;
}

/** Windows (in daily returns) and minimum observations; defaults follow DESIGN §6. */
export interface RiskParameters {
  readonly betaWindow: number;
  readonly betaMinObservations: number;
  readonly factorWindow: number;
  readonly factorMinObservations: number;
  readonly varWindow: number;
  readonly varMinObservations: number;
  readonly correlationWindow: number;
  readonly correlationMinOverlap: number;
  /** Realised daily returns needed for max drawdown, Sharpe and Sortino. */
  readonly performanceMinReturns: number;
}

export const DEFAULT_RISK_PARAMETERS: RiskParameters = {
  betaWindow: 90,
  betaMinObservations: 30,
  factorWindow: 180,
  factorMinObservations: 60,
  varWindow: 252,
  varMinObservations: 100,
  correlationWindow: 90,
  correlationMinOverlap: 30,
  performanceMinReturns: 2,
};

/** Volatility windows; each needs the whole window of returns. */
export const VOLATILITY_WINDOWS = [21, 63, 252] as const;

export interface RiskInput {
  readonly calculationDate: CalendarDate;
  readonly positions: readonly RiskPositionInput[];
  /** Snapshot history, ascending; entries after the calculation date are ignored. */
  readonly history: readonly SnapshotHistoryPoint[];
  /**
   * Closes of the positions' price symbols and of SPY, VUG, VTV, MTUM, IWM,
   * QUAL, USMV and TLT. Pass one `MarketSeries` to many calls to share work.
   */
  readonly market: PriceMatrix | MarketSeries;
  /** The portfolio's total value (positions + cash) on the calculation date. */
  readonly totalValue: number;
  readonly settings: AnalyticsSettings;
  readonly parameters?: Partial<RiskParameters>;
  readonly scenarios?: StressScenarioSet;
  /**
   * The security master's classification of each price symbol (exposures and
   * decomposition by sector, industry, country, asset class); a symbol
   * missing here counts as `Unclassified`.
   */
  readonly classifications?: ReadonlyMap<string, SecurityClass>;
  /** User tags per position id (a holding's lots inherit them); untagged positions are absent. */
  readonly tags?: ReadonlyMap<string, readonly string[]>;
}

/** What the security master says of a symbol (DESIGN §9). */
export interface SecurityClass {
  readonly sector: string;
  readonly industry: string;
  readonly country: string;
  readonly asset_class: string;
}

/** Annualised volatility of the holdings returns (fraction, 0.18 = 18%) over 21/63/252 days. */
export interface VolatilityRecord {
  readonly vol_21d: number | null;
  readonly vol_63d: number | null;
  readonly vol_252d: number | null;
}

export interface BetaRecord {
  readonly beta: number;
  /** Daily OLS intercept (a daily return, not annualised). */
  readonly alpha: number;
  readonly r_squared: number;
  readonly observations: number;
  readonly window_days: number;
}

export interface PositionBetaRecord {
  readonly position_id: PositionId;
  readonly symbol: string;
  /** The series regressed on SPY (an option's underlying). */
  readonly price_symbol: string;
  readonly beta: number | null;
  readonly alpha: number | null;
  readonly r_squared: number | null;
  readonly observations: number | null;
  readonly reason: string | null;
}

export interface FactorExposureRecord {
  readonly beta: number;
  /** beta × total value. */
  readonly dollar_exposure: number;
}

export interface FactorExposuresRecord {
  readonly window_days: number;
  readonly observations: number;
  readonly r_squared: number;
  /** Daily intercept. */
  readonly alpha: number;
  readonly factors: Readonly<Record<FactorName, FactorExposureRecord>>;
}

/** Sensitivity to TLT net of the market: OLS of portfolio returns on SPY and TLT. */
export interface RatesExposureRecord {
  readonly proxy: 'TLT';
  readonly beta: number;
  readonly dollar_exposure: number;
  readonly observations: number;
  readonly window_days: number;
}

/** Historical 1-day VaR/CVaR; `_pct` in percent units (2.1 = 2.1%), `_amount` in currency. */
export interface VarRecord {
  readonly window_days: number;
  readonly observations: number;
  readonly var_95_pct: number;
  readonly var_99_pct: number;
  readonly cvar_95_pct: number;
  readonly cvar_99_pct: number;
  readonly var_95_amount: number;
  readonly var_99_amount: number;
  readonly cvar_95_amount: number;
  readonly cvar_99_amount: number;
}

export interface PerformanceRecord {
  /** Realised daily returns in the history. */
  readonly observations: number;
  readonly risk_free_rate: number;
  /** ≤ 0, fraction (−0.12 = −12%), on the compounded daily returns. */
  readonly max_drawdown: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
}

export interface CorrelationRecord {
  readonly window_days: number;
  readonly min_overlap: number;
  readonly position_ids: PositionId[];
  readonly symbols: string[];
  /** Symmetric, unit diagonal; null where a pair shares < min_overlap returns or one is constant. */
  readonly matrix: (number | null)[][];
}

/** Weights are fractions of gross exposure (Σ |market value|). */
export interface ConcentrationRecord {
  readonly hhi: number;
  readonly effective_positions: number;
  readonly largest_weight: number;
  readonly top_3_weight: number;
  readonly top_10_weight: number;
}

/** Σ position Greeks (per-share Greeks × signed quantity × 100; a stock adds delta = its shares). */
export interface GreeksRecord {
  /** Share-equivalent delta. */
  readonly delta: number;
  /** Σ delta × underlying close, in currency. */
  readonly dollar_delta: number;
  readonly gamma: number;
  /** Per calendar day. */
  readonly theta: number;
  /** Per 1 percentage point of volatility. */
  readonly vega: number;
  /** Per 1 percentage point of the rate. */
  readonly rho: number;
  readonly option_positions: number;
}

export interface StressResultRecord {
  readonly id: string;
  readonly name: string;
  /** Historical scenarios (a past window's factor moves) are reported beside the hypothetical ones. */
  readonly kind: 'historical' | 'hypothetical';
  /** A historical scenario's source; null for a hypothetical one. */
  readonly source: string | null;
  readonly window: { readonly from: string; readonly to: string } | null;
  readonly pnl: number | null;
  /** pnl / total value, percent units; null when total value ≤ 0. */
  readonly pnl_pct: number | null;
  readonly capped: boolean;
  readonly reason: string | null;
}

export interface StressTestsRecord {
  readonly scenario_set_version: number;
  /** Where the market exposure came from: the factor model, or the 90-day beta when it is unavailable. */
  readonly market_exposure_source: 'factor_model' | 'beta' | null;
  readonly results: StressResultRecord[];
}

/** The stored risk record (DESIGN §6), snake_case. Null metrics carry a reason in `reasons`. */
export interface RiskRecord {
  readonly version: 1;
  readonly calculation_date: CalendarDate;
  /** The last price date ≤ the calculation date (should equal it). */
  readonly price_date: CalendarDate | null;
  readonly total_value: number;
  readonly gross_exposure: number;
  /** Holdings returns are Σ exposure × return / this value: total value when > 0, else gross exposure. */
  readonly return_basis: 'total_value' | 'gross_exposure' | null;
  readonly return_denominator: number | null;
  /** Days in the 252-day window with a holdings return. */
  readonly holdings_observations: number;
  readonly volatility: VolatilityRecord;
  readonly beta: BetaRecord | null;
  readonly position_betas: PositionBetaRecord[];
  readonly factor_exposures: FactorExposuresRecord | null;
  readonly rates_exposure: RatesExposureRecord | null;
  readonly var: VarRecord | null;
  readonly performance: PerformanceRecord;
  readonly correlation: CorrelationRecord;
  readonly concentration: ConcentrationRecord | null;
  readonly greeks: GreeksRecord | null;
  readonly stress_tests: StressTestsRecord;
  /** Long/short/gross/net by sector, industry, country, asset class and tag (DESIGN §9); absent in records stored before it existed. */
  readonly exposures?: ExposuresRecord;
  /** Euler risk decomposition (DESIGN §9); null with its reason in `reasons.decomposition`. */
  readonly decomposition: DecompositionRecord | null;
  /** Closes missing on the price date (positions' price symbols and factor ETFs). */
  readonly missing_prices: MissingPrice[];
  /** Metric path → why it is null, e.g. { "volatility.vol_252d": "insufficient data: …" }. */
  readonly reasons: Record<string, string>;
}

import type { PositionId } from '../../common/branded';
import type { FactorName } from './stress-scenarios';

/**
 * One risk measure's share held by a position or a group. `_amount` in
 * currency, `_pct` in percent of the return denominator (the unit of
 * `var.var_95_pct`), `share` a fraction of the portfolio's figure.
 */
export interface ContributionRecord {
  readonly contribution_amount: number;
  readonly contribution_pct: number;
  /** contribution / the portfolio's figure; null when that figure is 0. */
  readonly share: number | null;
}

/**
 * A position's contribution (its percent of the denominator is
 * contribution_amount / return_denominator × 100 = weight × marginal × 100:
 * left out to keep the stored record small) and its marginal
 * ∂(measure in return units)/∂(weight); null for a position with no exposure.
 */
export interface PositionContributionRecord extends Omit<ContributionRecord, 'contribution_pct'> {
  readonly marginal: number | null;
}

export interface DecompositionTotalRecord {
  readonly amount: number;
  readonly pct: number;
}

/** A scenario (day) of the historical VaR quantile and its interpolation weight. */
export interface VarScenarioRecord {
  readonly date: string;
  readonly weight: number;
}

export interface VarDecompositionTotalRecord extends DecompositionTotalRecord {
  readonly scenarios: VarScenarioRecord[];
}

export interface PositionDecompositionRecord {
  readonly position_id: PositionId;
  readonly symbol: string;
  readonly price_symbol: string;
  readonly sector: string;
  readonly tags: string[];
  /** Dollar exposure to the price symbol's return (delta-adjusted for options). */
  readonly exposure: number;
  /** exposure / return denominator. */
  readonly weight: number;
  readonly volatility: PositionContributionRecord;
  readonly var_95: PositionContributionRecord;
  readonly var_99: PositionContributionRecord;
}

export interface GroupDecompositionRecord {
  /** The sector, or the tag (`Untagged` for positions without one). */
  readonly name: string;
  /** Positions in the group (a position with k tags is in k tag groups). */
  readonly positions: number;
  /** Σ exposure of its members (a tagged member's exposure split like its contributions). */
  readonly exposure: number;
  readonly volatility: ContributionRecord;
  readonly var_95: ContributionRecord;
  readonly var_99: ContributionRecord;
}

/** Systematic vs idiosyncratic variance under the factor model (DESIGN §6 factors). */
export interface FactorAttributionRecord {
  readonly window_days: number;
  readonly observations: number;
  /** Daily variances of the portfolio return (fraction²). */
  readonly total_variance: number;
  readonly systematic_variance: number;
  readonly idiosyncratic_variance: number;
  readonly systematic_share: number;
  readonly idiosyncratic_share: number;
  /** Euler split of the systematic share over the factors (sums to systematic_share; a factor can be negative). */
  readonly factor_shares: Readonly<Record<FactorName, number>>;
}

/**
 * The `decomposition` section of the risk record: Euler contributions of each
 * position, sector and tag to the 1-day volatility and the historical VaR
 * 95/99 of the holdings P&L over the VaR window; they sum to the totals.
 */
export interface DecompositionRecord {
  readonly window_days: number;
  /** Days in the window where every exposed position has a return. */
  readonly observations: number;
  readonly return_denominator: number;
  /** Sample std (n − 1) of the daily holdings P&L, not annualised. */
  readonly volatility_1d: DecompositionTotalRecord;
  readonly var_95: VarDecompositionTotalRecord;
  readonly var_99: VarDecompositionTotalRecord;
  readonly positions: PositionDecompositionRecord[];
  /** Sums to the totals; symbols without a security-master row are `Unclassified`. */
  readonly by_sector: GroupDecompositionRecord[];
  /** A position with k tags adds 1/k of its contribution to each: sums to the totals. */
  readonly by_tag: GroupDecompositionRecord[];
  readonly tag_allocation: 'even_split';
  /** Null (reason in `reasons["decomposition.factor_attribution"]`) when the factor model is unavailable. */
  readonly factor_attribution: FactorAttributionRecord | null;
}

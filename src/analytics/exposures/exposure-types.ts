/**
 * Exposures of one portfolio (DESIGN §9), stored in the risk record as
 * `exposures`. Currency amounts in the portfolio's currency; `_pct` in
 * percent units (12.5 = 12.5%) of the portfolio's total value, null when
 * the total value is not positive. `short` is signed (≤ 0), like the
 * snapshot's `short_value`: gross = long − short, net = long + short.
 */
export interface ExposureAmounts {
  readonly long: number;
  readonly short: number;
  readonly gross: number;
  readonly net: number;
  readonly long_pct: number | null;
  readonly short_pct: number | null;
  readonly gross_pct: number | null;
  readonly net_pct: number | null;
  /** Positions in the bucket. */
  readonly positions: number;
}

export interface ExposureBucket extends ExposureAmounts {
  readonly key: string;
}

export interface SectorExposureBucket extends ExposureBucket {
  /** The benchmark's weight of the sector (percent units); null for a non-GICS bucket (Diversified, Government, Unclassified). */
  readonly benchmark_weight_pct: number | null;
  /** net_pct − benchmark_weight_pct; null when either is. */
  readonly active_weight_pct: number | null;
}

export interface ExposureBenchmark {
  readonly name: string;
  readonly version: number;
  readonly as_of: string;
  readonly source: string;
}

export interface ExposuresRecord {
  /** Options count at delta × underlying close (position delta includes quantity × 100); stocks at market value. */
  readonly option_exposure_basis: 'delta_adjusted';
  readonly total_value: number;
  readonly totals: ExposureAmounts;
  readonly benchmark: ExposureBenchmark;
  /** Every GICS sector (held or not, for the benchmark comparison), then any other bucket held. */
  readonly by_sector: SectorExposureBucket[];
  readonly by_industry: ExposureBucket[];
  readonly by_country: ExposureBucket[];
  readonly by_asset_class: ExposureBucket[];
  /** One bucket per tag; a position with several tags counts in each, so tags need not add up to the totals. */
  readonly by_tag: ExposureBucket[];
  /** The positions without a tag. */
  readonly untagged: ExposureAmounts;
  /** Positions left out because their exposure is unknown (no close): never counted as zero. */
  readonly unpriced: Array<{ readonly position_id: string; readonly symbol: string; readonly reason: string }>;
}

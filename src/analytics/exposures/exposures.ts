import { UNCLASSIFIED } from '../../market-data/security-master.store';
import type { Holding } from '../calculators/holdings';
import { isOption } from '../calculators/position-valuation';
import type { SecurityClass } from '../calculators/risk-types';
import { BenchmarkSectorWeights, SP500_SECTOR_WEIGHTS } from './benchmark-weights';
import { ExposureAmounts, ExposureBucket, ExposuresRecord, SectorExposureBucket } from './exposure-types';

/** One position as the exposure breakdown sees it. */
export interface ExposureItem {
  readonly positionId: string;
  readonly symbol: string;
  /** The symbol that classifies it: its own, or an option's underlying. */
  readonly priceSymbol: string;
  /** Signed currency exposure; null when it cannot be known (then listed as unpriced). */
  readonly exposure: number | null;
  readonly reason?: string | null;
}

export interface ExposureInput {
  readonly items: readonly ExposureItem[];
  readonly totalValue: number;
  readonly classifications?: ReadonlyMap<string, SecurityClass>;
  readonly tags?: ReadonlyMap<string, readonly string[]>;
  readonly benchmark?: BenchmarkSectorWeights;
}

const UNKNOWN_CLASS: SecurityClass = { sector: UNCLASSIFIED, industry: UNCLASSIFIED, country: UNCLASSIFIED, asset_class: UNCLASSIFIED };

/** Accumulates signed exposures into long/short sums. */
class Sums {
  long = 0;
  short = 0;
  positions = 0;

  add(exposure: number): void {
    if (exposure >= 0) this.long += exposure;
    else this.short += exposure;
    this.positions++;
  }

  amounts(totalValue: number): ExposureAmounts {
    return exposureAmounts(this.long, this.short, this.positions, totalValue);
  }
}

const pctOf = (x: number, totalValue: number) => (totalValue > 0 ? (x * 100) / totalValue : null);

/** A bucket's amounts from its long and short sums (also used to rebuild the stored records: stored-risk). */
export function exposureAmounts(long: number, short: number, positions: number, totalValue: number): ExposureAmounts {
  const gross = long - short;
  const net = long + short;
  return {
    long, short, gross, net,
    long_pct: pctOf(long, totalValue), short_pct: pctOf(short, totalValue), gross_pct: pctOf(gross, totalValue), net_pct: pctOf(net, totalValue),
    positions,
  };
}

class Buckets {
  private readonly byKey = new Map<string, Sums>();

  constructor(keys: readonly string[] = []) {
    for (const k of keys) this.byKey.set(k, new Sums());
  }

  add(key: string, exposure: number): void {
    let s = this.byKey.get(key);
    if (!s) this.byKey.set(key, (s = new Sums()));
    s.add(exposure);
  }

  /** Largest gross first, then by key; pre-seeded keys keep their place among equals. */
  list(totalValue: number): ExposureBucket[] {
    return [...this.byKey]
      .map(([key, s]) => ({ key, ...s.amounts(totalValue) }))
      .sort((a, b) => b.gross - a.gross || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/**
 * Long, short, gross and net exposure by sector, industry, country, asset
 * class and tag (DESIGN §9). Pure. A symbol the security master does not
 * know is in the `Unclassified` bucket of each dimension, never dropped;
 * sector, industry, country and asset-class buckets each add up to the
 * totals. Every GICS sector of the benchmark is listed with its weight.
 */
export function calculateExposures(input: ExposureInput): ExposuresRecord {
  const benchmark = input.benchmark ?? SP500_SECTOR_WEIGHTS;
  const benchmarkSectors = Object.keys(benchmark.weights_pct);
  const totals = new Sums();
  const sector = new Buckets(benchmarkSectors);
  const industry = new Buckets();
  const country = new Buckets();
  const assetClass = new Buckets();
  const tag = new Buckets();
  const untagged = new Sums();
  const unpriced: ExposuresRecord['unpriced'] = [];
  for (const item of input.items) {
    if (item.exposure === null || !Number.isFinite(item.exposure)) {
      unpriced.push({ position_id: item.positionId, symbol: item.symbol, reason: item.reason ?? 'exposure unknown' });
      continue;
    }
    const e = item.exposure;
    const c = input.classifications?.get(item.priceSymbol) ?? UNKNOWN_CLASS;
    totals.add(e);
    sector.add(c.sector || UNCLASSIFIED, e);
    industry.add(c.industry || UNCLASSIFIED, e);
    country.add(c.country || UNCLASSIFIED, e);
    assetClass.add(c.asset_class || UNCLASSIFIED, e);
    const tags = input.tags?.get(item.positionId) ?? [];
    if (tags.length === 0) untagged.add(e);
    for (const t of new Set(tags)) tag.add(t, e);
  }
  const tv = input.totalValue;
  return {
    option_exposure_basis: 'delta_adjusted',
    total_value: tv,
    totals: totals.amounts(tv),
    benchmark: { name: benchmark.benchmark, version: benchmark.version, as_of: benchmark.as_of, source: benchmark.source },
    by_sector: sector.list(tv).map((b) => withBenchmarkWeight(b, Object.hasOwn(benchmark.weights_pct, b.key) ? benchmark.weights_pct[b.key] : null)),
    by_industry: industry.list(tv),
    by_country: country.list(tv),
    by_asset_class: assetClass.list(tv),
    by_tag: tag.list(tv),
    untagged: untagged.amounts(tv),
    unpriced,
  };
}

/** A sector bucket beside the benchmark's weight of the sector (null: not a benchmark sector). */
export function withBenchmarkWeight(b: ExposureBucket, weight: number | null): SectorExposureBucket {
  // a literal, not { ...b }: spreading an 11-key bucket was 2% of the risk phase
  return {
    key: b.key, long: b.long, short: b.short, gross: b.gross, net: b.net,
    long_pct: b.long_pct, short_pct: b.short_pct, gross_pct: b.gross_pct, net_pct: b.net_pct, positions: b.positions,
    benchmark_weight_pct: weight, active_weight_pct: weight !== null && b.net_pct !== null ? b.net_pct - weight : null,
  };
}

/** The exposure items of the risk phase's marked holdings: stocks at market value, options at delta × underlying close. */
export function exposureItemsOf(holdings: readonly Holding[]): ExposureItem[] {
  return holdings.map((h) => ({
    positionId: h.position.id,
    symbol: h.position.symbol,
    priceSymbol: h.priceSymbol,
    exposure: h.exposure,
    reason: h.exposure === null ? h.reason ?? (isOption(h.position.positionType) ? 'option not marked' : 'no market value') : null,
  }));
}

/** The `exposures` section of the risk record (the one call calculateRisk makes). */
export function exposuresSection(
  holdings: readonly Holding[],
  input: { totalValue: number; classifications?: ReadonlyMap<string, SecurityClass>; tags?: ReadonlyMap<string, readonly string[]> },
): ExposuresRecord {
  return calculateExposures({ items: exposureItemsOf(holdings), totalValue: input.totalValue, classifications: input.classifications, tags: input.tags });
}

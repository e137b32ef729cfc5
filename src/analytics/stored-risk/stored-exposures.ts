import { exposureAmounts, withBenchmarkWeight } from '../exposures/exposures';
import type { ExposureAmounts, ExposureBucket, ExposuresRecord, SectorExposureBucket } from '../exposures/exposure-types';

/**
 * The exposures section's stored form. A bucket is stored as the numbers
 * nothing else gives: [key, long, short, positions] (sectors add the
 * benchmark weight of the day); gross, net, the percentages and the active
 * weight are rebuilt by the calculator's own exposureAmounts and
 * withBenchmarkWeight, so what is read back is the record computed, number
 * for number (stored-risk.spec.ts checks this). The stored form is the one
 * whose `totals` is an array.
 */
type Sums = [long: number, short: number, positions: number];
type StoredBucket = [key: string, ...Sums];
type StoredSectorBucket = [...StoredBucket, benchmarkWeightPct: number | null];

interface StoredExposures extends Omit<ExposuresRecord, 'totals' | 'untagged' | 'by_sector' | 'by_industry' | 'by_country' | 'by_asset_class' | 'by_tag'> {
  readonly totals: Sums;
  readonly untagged: Sums;
  readonly by_sector: StoredSectorBucket[];
  readonly by_industry: StoredBucket[];
  readonly by_country: StoredBucket[];
  readonly by_asset_class: StoredBucket[];
  readonly by_tag: StoredBucket[];
}

const sums = (a: ExposureAmounts): Sums => [a.long, a.short, a.positions];
const bucket = (b: ExposureBucket): StoredBucket => [b.key, ...sums(b)];

export function toStoredExposures(section: unknown): unknown {
  const x = section as ExposuresRecord | null;
  if (!x || typeof x !== 'object' || !x.totals || Array.isArray(x.totals) || !x.untagged) return section;
  const lists = [x.by_sector, x.by_industry, x.by_country, x.by_asset_class, x.by_tag];
  if (!lists.every(Array.isArray)) return section;
  return {
    ...x,
    totals: sums(x.totals),
    untagged: sums(x.untagged),
    by_sector: x.by_sector.map((b): StoredSectorBucket => [...bucket(b), b.benchmark_weight_pct]),
    by_industry: x.by_industry.map(bucket),
    by_country: x.by_country.map(bucket),
    by_asset_class: x.by_asset_class.map(bucket),
    by_tag: x.by_tag.map(bucket),
  } satisfies StoredExposures;
}

export function fromStoredExposures(section: unknown): unknown {
  const s = section as StoredExposures | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.totals)) return section;
  const tv = s.total_value;
  const amounts = ([long, short, positions]: Sums) => exposureAmounts(long, short, positions, tv);
  const rebuilt = ([key, long, short, positions]: StoredBucket): ExposureBucket => ({ key, ...exposureAmounts(long, short, positions, tv) });
  const buckets = (list: StoredBucket[]): ExposureBucket[] => list.map(rebuilt);
  const record: ExposuresRecord = {
    ...s,
    totals: amounts(s.totals),
    untagged: amounts(s.untagged),
    by_sector: s.by_sector.map(([key, long, short, positions, weight]): SectorExposureBucket =>
      withBenchmarkWeight(rebuilt([key, long, short, positions]), weight)),
    by_industry: buckets(s.by_industry),
    by_country: buckets(s.by_country),
    by_asset_class: buckets(s.by_asset_class),
    by_tag: buckets(s.by_tag),
  };
  return record;
}

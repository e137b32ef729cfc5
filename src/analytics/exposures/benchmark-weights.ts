// @ts-ignore -- import attributes need module esnext; tsc (commonjs) emits a plain require, Jest's ESM mode wants the attribute
import raw from '../benchmark-sector-weights.v2.json' with { type: 'json' };

/** A benchmark's sector weights (percent units) with where they come from. */
export interface BenchmarkSectorWeights {
  readonly version: number;
  readonly benchmark: string;
  readonly as_of: string;
  readonly source: string;
  readonly weights_pct: Readonly<Record<string, number>>;
}

/** Validates a weights file: every weight a finite percentage, the total 100 within rounding (±0.5). */
export function parseBenchmarkWeights(value: unknown): BenchmarkSectorWeights {
  const v = value as Partial<BenchmarkSectorWeights> | null;
  if (!v || !Number.isInteger(v.version) || typeof v.benchmark !== 'string' || typeof v.as_of !== 'string' || typeof v.source !== 'string' || !v.weights_pct) {
    throw new TypeError('benchmark weights: expected { version, benchmark, as_of, source, weights_pct }');
  }
  const weights = Object.values(v.weights_pct);
  if (!weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0 && w <= 100)) throw new TypeError('benchmark weights: a weight is not a percentage');
  const total = weights.reduce((s, w) => s + w, 0);
  if (Math.abs(total - 100) > 0.5) throw new TypeError(`benchmark weights: they add to ${total}, not 100`);
  return v as BenchmarkSectorWeights;
}

/** The shipped S&P 500 sector weights (src/analytics/benchmark-sector-weights.v2.json). */
export const SP500_SECTOR_WEIGHTS: BenchmarkSectorWeights = parseBenchmarkWeights(raw);

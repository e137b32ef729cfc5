import { Maybe, isPresent, ok, unavailable } from './maybe';

export interface Concentration {
  /** Σ |exposure|. */
  readonly grossExposure: number;
  /** |exposure_i| / gross, in input order. */
  readonly weights: number[];
  /** Herfindahl–Hirschman index Σ w² × 10,000 (10,000 = one position). */
  readonly hhi: number;
  /** 10,000 / HHI: the number of equal positions with the same HHI. */
  readonly effectivePositions: number;
  readonly largestWeight: number;
  readonly top3Weight: number;
  readonly top10Weight: number;
}

/**
 * Concentration on gross exposure: each position weighted by its absolute
 * exposure over the sum of absolute exposures (shorts count as exposure).
 */
export function concentration(exposures: ArrayLike<number | null>): Maybe<Concentration> {
  const abs: number[] = [];
  let gross = 0;
  for (let i = 0; i < exposures.length; i++) {
    const e = exposures[i];
    if (!isPresent(e)) return unavailable(`exposure of position #${i} is unknown`);
    abs.push(Math.abs(e));
    gross += Math.abs(e);
  }
  if (abs.length === 0) return unavailable('no positions');
  if (!(gross > 0)) return unavailable('gross exposure is zero');
  const weights = abs.map((a) => a / gross);
  let sumSq = 0;
  for (const w of weights) sumSq += w * w;
  const sorted = [...weights].sort((a, b) => b - a);
  const top = (n: number): number => sorted.slice(0, n).reduce((s, w) => s + w, 0);
  const hhi = sumSq * 10_000;
  return ok({
    grossExposure: gross,
    weights,
    hhi,
    effectivePositions: 10_000 / hhi,
    largestWeight: sorted[0],
    top3Weight: Math.min(1, top(3)),
    top10Weight: Math.min(1, top(10)),
  });
}

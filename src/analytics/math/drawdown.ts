import { Maybe, Series, insufficient, isPresent, ok } from './maybe';

/** The worst drawdown of a return index; indices point into the returns, −1 = the start (index 1 before the first return). */
export interface DrawdownEpisode {
  /** ≤ 0: index at the trough / index at the peak − 1. */
  readonly maxDrawdown: number;
  readonly peakIndex: number;
  readonly troughIndex: number;
  /** First day after the trough back at the peak's level, or null if not recovered. */
  readonly recoveryIndex: number | null;
}

export interface DrawdownPath {
  /** Growth of 1 after each day (missing days carry the level). */
  readonly index: number[];
  /** index / running peak − 1 per day (≤ 0). */
  readonly drawdown: number[];
  /** Null when the index never fell below a peak. */
  readonly episode: DrawdownEpisode | null;
}

/**
 * Return index, drawdown series and the worst drawdown episode of daily
 * returns. The index starts at 1 before the first return; the peak is the
 * latest running high before the trough. max_drawdown equals empyrical's
 * max_drawdown (see the spec).
 */
export function drawdownPath(returns: Series): Maybe<DrawdownPath> {
  const n = returns.length;
  const index = new Array<number>(n);
  const drawdown = new Array<number>(n);
  let level = 1;
  let peak = 1;
  let peakIndex = -1;
  let worst = 0;
  let worstPeak = -1;
  let trough = -1;
  let present = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i];
    if (isPresent(r)) {
      level *= 1 + r;
      present++;
    }
    if (level >= peak) {
      peak = level;
      peakIndex = i;
    }
    index[i] = level;
    drawdown[i] = Math.max(-1, level / peak - 1);
    if (drawdown[i] < worst) {
      worst = drawdown[i];
      worstPeak = peakIndex;
      trough = i;
    }
  }
  if (present === 0) return insufficient(0, 1, 'returns');
  if (trough < 0) return ok({ index, drawdown, episode: null });
  const peakLevel = worstPeak < 0 ? 1 : index[worstPeak];
  let recoveryIndex: number | null = null;
  for (let j = trough + 1; j < n; j++) {
    // relative tolerance: compounding the same path in another order differs in the last bits
    if (index[j] >= peakLevel * (1 - 1e-12)) {
      recoveryIndex = j;
      break;
    }
  }
  return ok({ index, drawdown, episode: { maxDrawdown: worst, peakIndex: worstPeak, troughIndex: trough, recoveryIndex } });
}

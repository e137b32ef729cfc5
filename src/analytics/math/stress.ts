import { Maybe, isPresent, ok, unavailable } from './maybe';

export interface StressPnl {
  /** Σ exposure × shock, floored at −totalValue when totalValue > 0. */
  readonly pnl: number;
  /** The same sum before the floor. */
  readonly uncappedPnl: number;
  /** True when the floor was applied. */
  readonly capped: boolean;
}

/**
 * Stress-test P&L: Σ over shocked factors of (factor dollar exposure × shock).
 * A loss never exceeds the portfolio's value: with totalValue > 0 the result
 * is floored at −totalValue. Null with a reason when a shocked factor has no
 * known exposure (a factor with no shock needs none).
 */
export function stressPnl(
  exposures: Readonly<Record<string, number | null | undefined>>,
  shocks: Readonly<Record<string, number>>,
  totalValue: number,
): Maybe<StressPnl> {
  let sum = 0;
  const missing: string[] = [];
  for (const factor of Object.keys(shocks)) {
    const shock = shocks[factor];
    if (!isPresent(shock)) return unavailable(`shock for factor ${factor} is not a number`);
    if (shock === 0) continue;
    const exposure = exposures[factor];
    if (!isPresent(exposure)) {
      missing.push(factor);
      continue;
    }
    sum += exposure * shock;
  }
  if (missing.length > 0) return unavailable(`no exposure estimate for factor(s): ${missing.join(', ')}`);
  const floor = isPresent(totalValue) && totalValue > 0 ? -totalValue : -Infinity;
  const capped = sum < floor;
  return ok({ pnl: capped ? floor : sum, uncappedPnl: sum, capped });
}

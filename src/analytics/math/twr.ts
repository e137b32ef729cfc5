import { Maybe, Series, isPresent, ok, unavailable } from './maybe';
import { cumulativeReturn } from './returns';

/**
 * Time-weighted returns with external flows at the start of the day
 * (DESIGN §8): r_d = (V_d − (V_{d−1} + F_d)) / (V_{d−1} + F_d). On the first
 * day of a book there is no previous close, so the base is the day's flows.
 */

export const DAYS_PER_YEAR = 365;

/**
 * One day's flow-neutral return. `previousValue` null = first day (the base is
 * `flows` alone). Null with a reason when the base is not positive (nothing
 * invested to earn a return on).
 */
export function flowNeutralReturn(previousValue: number | null, value: number, flows: number): Maybe<number> {
  const base = (previousValue ?? 0) + flows;
  if (!isPresent(base) || !isPresent(value)) return unavailable('value or flows missing');
  if (!(base > 0)) {
    const prev = previousValue === null ? 'no previous close' : `previous value ${previousValue}`;
    return unavailable(`no invested base (${prev}, flows ${flows}): the return is undefined`);
  }
  return ok((value - base) / base);
}

/**
 * Daily flow-neutral returns of a value path: `values[i]` is the close of day
 * i, `flows[i]` its external flows; `baseValue` the close before day 0 (null at
 * inception: day 0's base is its flows). Days without a return are null.
 */
export function flowNeutralReturns(values: readonly number[], flows: readonly number[], baseValue: number | null): (number | null)[] {
  const out = new Array<number | null>(values.length);
  let previous = baseValue;
  for (let i = 0; i < values.length; i++) {
    out[i] = flowNeutralReturn(previous, values[i], flows[i]).value;
    previous = values[i];
  }
  return out;
}

/** TWR = Π(1 + r_d) − 1 over the days that have a return. */
export function timeWeightedReturn(returns: Series): Maybe<number> {
  return cumulativeReturn(returns);
}

/**
 * Annualised return for a range of `days` calendar days: (1 + R)^(365/days) − 1,
 * only when the range spans at least a year (annualising a shorter range
 * extrapolates luck); null with a reason otherwise.
 */
export function annualizedReturn(totalReturn: number, days: number): Maybe<number> {
  if (!(days >= DAYS_PER_YEAR)) return unavailable(`range of ${days} calendar days is shorter than ${DAYS_PER_YEAR}: not annualised`);
  if (!(1 + totalReturn > 0)) return unavailable('total loss: no annualised return');
  return ok(Math.pow(1 + totalReturn, DAYS_PER_YEAR / days) - 1);
}

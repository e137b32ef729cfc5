import { Series, isPresent } from './maybe';

export interface MonthlyReturn {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly value: number | null;
  /** Why `value` is null. */
  readonly reason?: string;
}

/**
 * Daily returns compounded per calendar month, in order of `dates` (ISO
 * `YYYY-MM-DD`, ascending, aligned with `returns`). `gaps`: 'skip' leaves a
 * missing day out (a day without a defined return); 'null' makes the month
 * null (a day whose return is unknown, e.g. a missing benchmark price).
 */
export function monthlyReturns(dates: readonly string[], returns: Series, gaps: 'skip' | 'null'): MonthlyReturn[] {
  const out: MonthlyReturn[] = [];
  let month = '';
  let growth = 1;
  let present = 0;
  let missing: string[] = [];
  const close = () => {
    if (!month) return;
    if (gaps === 'null' && missing.length) out.push({ month, value: null, reason: `no return on ${missing.join(', ')}` });
    else if (present === 0) out.push({ month, value: null, reason: 'no returns in the month' });
    else out.push({ month, value: growth - 1 });
  };
  for (let i = 0; i < dates.length; i++) {
    const m = dates[i].slice(0, 7);
    if (m !== month) {
      close();
      month = m;
      growth = 1;
      present = 0;
      missing = [];
    }
    const r = returns[i];
    if (isPresent(r)) {
      growth *= 1 + r;
      present++;
    } else missing.push(dates[i]);
  }
  close();
  return out;
}

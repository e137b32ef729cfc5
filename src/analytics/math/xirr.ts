import { Maybe, isPresent, ok, unavailable } from './maybe';

/** A cash flow on a calendar day (ISO `YYYY-MM-DD`); negative = paid in, positive = received. */
export interface DatedFlow {
  readonly date: string;
  readonly amount: number;
}

const MS_PER_DAY = 86_400_000;
const YEAR_DAYS = 365;
const MAX_NEWTON_STEPS = 100;
/** Bisection bracket search in x = ln(1 + r): r from about −0.999999998 to e^700. */
const X_MIN = -20;
const X_MAX = 700;

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

/**
 * XIRR (actual/365): the annual rate r with Σ a_i / (1 + r)^((d_i − d_0)/365) = 0.
 * Flows on the same date are netted. Solved in x = ln(1 + r), where the NPV
 * Σ a_i·e^(−t_i·x) is smooth on the whole line: Newton from the guess, then
 * bisection on the sign change nearest the guess when Newton fails. Null
 * with a reason when the flows have no sign change, all fall on one date, or
 * no rate solves them.
 */
export function xirr(flows: readonly DatedFlow[], guess = 0.1): Maybe<number> {
  const byDay = new Map<number, number>();
  for (const f of flows) {
    if (!isPresent(f.amount)) return unavailable(`cash flow on ${f.date} is not a number`);
    const d = dayNumber(f.date);
    if (!Number.isFinite(d)) return unavailable(`bad date ${f.date}`);
    byDay.set(d, (byDay.get(d) ?? 0) + f.amount);
  }
  const days = [...byDay.keys()].filter((d) => byDay.get(d) !== 0).sort((a, b) => a - b);
  const amounts = days.map((d) => byDay.get(d) as number);
  if (!amounts.some((a) => a > 0) || !amounts.some((a) => a < 0)) {
    return unavailable('cash flows have no sign change: no rate of return');
  }
  if (days[0] === days[days.length - 1]) return unavailable('all cash flows fall on one date: no rate of return');
  const times = days.map((d) => (d - days[0]) / YEAR_DAYS);
  const npv = (x: number): number => {
    let s = 0;
    for (let i = 0; i < times.length; i++) s += amounts[i] * Math.exp(-times[i] * x);
    return s;
  };
  const scale = amounts.reduce((s, a) => s + Math.abs(a), 0);
  const x0 = Math.log1p(Math.max(guess, -0.99));
  const x = newton(npv, times, amounts, x0, scale) ?? bisect(npv, x0);
  if (x === null) return unavailable('no rate solves the cash flows (their value never changes sign)');
  const r = Math.expm1(x);
  return isPresent(r) ? ok(r) : unavailable('the rate of return overflows');
}

function newton(npv: (x: number) => number, t: number[], a: number[], x0: number, scale: number): number | null {
  let x = x0;
  for (let step = 0; step < MAX_NEWTON_STEPS; step++) {
    const f = npv(x);
    let df = 0;
    for (let i = 0; i < t.length; i++) df -= t[i] * a[i] * Math.exp(-t[i] * x);
    if (!isPresent(f) || !isPresent(df) || df === 0) return null;
    const dx = f / df;
    x -= dx;
    if (!isPresent(x) || x < X_MIN || x > X_MAX) return null;
    if (Math.abs(dx) < 1e-14 * Math.max(1, Math.abs(x))) {
      return Math.abs(npv(x)) <= 1e-9 * scale ? x : null;
    }
  }
  return null;
}

/** Grid of x values dense near 0 (everyday rates), sparse far out. */
function grid(): number[] {
  const pts: number[] = [];
  for (let x = X_MIN; x < -1; x += 0.5) pts.push(x);
  for (let x = -1; x < 1; x += 0.01) pts.push(x);
  for (let x = 1; x < 20; x += 0.25) pts.push(x);
  for (let x = 20; x <= X_MAX; x += 5) pts.push(x);
  return pts;
}

function bisect(npv: (x: number) => number, x0: number): number | null {
  const pts = grid();
  let best: [number, number] | null = null;
  for (let i = 1; i < pts.length; i++) {
    const fa = npv(pts[i - 1]);
    const fb = npv(pts[i]);
    if (!isPresent(fa) || !isPresent(fb) || Math.sign(fa) === Math.sign(fb)) continue;
    const mid = (pts[i - 1] + pts[i]) / 2;
    if (!best || Math.abs(mid - x0) < Math.abs((best[0] + best[1]) / 2 - x0)) best = [pts[i - 1], pts[i]];
  }
  if (!best) return null;
  let [lo, hi] = best;
  let flo = npv(lo);
  for (let k = 0; k < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); k++) {
    const mid = (lo + hi) / 2;
    const fm = npv(mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(flo)) {
      lo = mid;
      flo = fm;
    } else hi = mid;
  }
  return (lo + hi) / 2;
}

import { CalendarDate, asCalendarDate } from '../../common/branded';
import { addDays } from '../../common/dates';
import { PriceMatrix } from './market';

/* A seeded synthetic market for the risk calculators' specs. */

/** Deterministic normal draws: Park–Miller LCG + Box–Muller. */
export function normals(seed: number): () => number {
  let s = seed;
  const u = (): number => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

export function tradingDates(start: string, n: number): CalendarDate[] {
  const out: CalendarDate[] = [];
  let d = asCalendarDate(start);
  while (out.length < n) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d);
    d = addDays(d, 1);
  }
  return out;
}

/**
 * A market with known structure: SPY ~ N(4bp, 1%); spread factors growth,
 * momentum, size, quality, low-vol ~ N(0, 0.4%) each, independent; TLT
 * independent N(0, 0.8%). Stocks: AAA = 1.5·mkt + ε, BBB = 0.8·mkt + 1·size + ε,
 * CCC = 1·mkt + 1·growth + ε, ε ~ N(0, 0.5%).
 */
export function generateMarket(days: number, seed: number): PriceMatrix {
  const z = normals(seed);
  const dates = tradingDates('2024-01-02', days);
  const symbols = ['SPY', 'VUG', 'VTV', 'MTUM', 'IWM', 'QUAL', 'USMV', 'TLT', 'AAA', 'BBB', 'CCC'];
  const closes = new Map(symbols.map((s) => [s, [100] as (number | null)[]]));
  const step = (s: string, r: number): void => {
    const c = closes.get(s)!;
    c.push((c[c.length - 1] as number) * (1 + r));
  };
  for (let i = 1; i < days; i++) {
    const m = 0.0004 + 0.01 * z();
    const [g, mom, size, qual, lowvol] = [z(), z(), z(), z(), z()].map((x) => 0.004 * x);
    const vtv = m + 0.001 * z();
    step('SPY', m);
    step('VTV', vtv);
    step('VUG', vtv + g);
    step('MTUM', m + mom);
    step('IWM', m + size);
    step('QUAL', m + qual);
    step('USMV', m + lowvol);
    step('TLT', 0.008 * z());
    step('AAA', 1.5 * m + 0.005 * z());
    step('BBB', 0.8 * m + size + 0.005 * z());
    step('CCC', m + g + 0.005 * z());
  }
  return { dates, closes };
}

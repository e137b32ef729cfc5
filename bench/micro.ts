import { performance } from 'node:perf_hooks';
import { addDays } from '../src/common/dates';
import { asCalendarDate } from '../src/common/branded';
import { isTradingDay, tradingDaysBack, tradingDaysBetween } from '../src/market-data/calendar';
import { SyntheticMarketDataProvider, syntheticSecurity } from '../src/market-data/providers';
import { calculateExposures, ExposureItem } from '../src/analytics/exposures/exposures';

/**
 * `npm run bench:micro`: timings of the pure hot paths that unit tests used to
 * assert (a wall-clock limit fails `npm test` on a busy machine; a number
 * printed here is looked at instead). Each case runs once to warm up, then
 * `--repeat` times (default 5); prints min / median / max in ms. No database.
 */
interface Case {
  name: string;
  /** What the old unit-test limit was, for comparison (none for cases added since). */
  formerLimitMs?: number;
  run: () => number;
}

const d = asCalendarDate;

const CASES: Case[] = [
  {
    name: 'NYSE calendar: 200,000 isTradingDay + tradingDaysBack(252), years memoised',
    formerLimitMs: 3000,
    run: () => {
      let count = 0;
      for (let i = 0; i < 200_000; i++) {
        const date = addDays(d('2001-01-01'), i % 10_000);
        if (isTradingDay(date)) count++;
        tradingDaysBack(date, 252);
      }
      return count;
    },
  },
  {
    name: 'synthetic provider: 500 fresh symbols priced on 2027-12-31 (~7,000 days each)',
    formerLimitMs: 1500,
    run: () => {
      const fresh = new SyntheticMarketDataProvider({ seed: 7 });
      let priced = 0;
      for (let i = 0; i < 500; i++) if (fresh.closeOn(`P${i}`, d('2027-12-31')) !== null) priced++;
      return priced + tradingDaysBetween(d('2000-01-03'), d('2027-12-31')).length;
    },
  },
  {
    name: 'exposures: 1,000 portfolios × 30 positions over 500 classified symbols, a third tagged',
    run: () => {
      const symbols = Array.from({ length: 500 }, (_, i) => `S${String(i).padStart(4, '0')}`);
      const classifications = new Map(symbols.map((s) => {
        const c = syntheticSecurity(s);
        return [s, { sector: c.sector ?? 'Unclassified', industry: c.industry ?? 'Unclassified', country: c.country ?? 'Unclassified', asset_class: c.asset_class ?? 'Unclassified' }];
      }));
      let buckets = 0;
      for (let p = 0; p < 1000; p++) {
        const items: ExposureItem[] = Array.from({ length: 30 }, (_, k) => {
          const symbol = symbols[(p * 31 + k * 17) % 500];
          return { positionId: `${p}-${k}`, symbol, priceSymbol: symbol, exposure: (k % 5 === 0 ? -1 : 1) * (1000 + k * 37) };
        });
        const tags = new Map(items.filter((_, k) => k % 3 === 0).map((it) => [it.positionId, ['core', `t${p % 7}`]]));
        buckets += calculateExposures({ items, totalValue: 100_000, classifications, tags }).by_sector.length;
      }
      return buckets;
    },
  },
];

function timeOnce(c: Case): number {
  const started = performance.now();
  c.run();
  return performance.now() - started;
}

export function runMicro(repeat: number): string[] {
  const lines: string[] = [];
  for (const c of CASES) {
    timeOnce(c); // warm-up (JIT, memoised years)
    const times = Array.from({ length: repeat }, () => timeOnce(c)).sort((a, b) => a - b);
    const f = (ms: number) => ms.toFixed(1).padStart(8);
    lines.push(`${c.name}\n  min ${f(times[0])} ms  median ${f(times[Math.floor(times.length / 2)])} ms  max ${f(times[times.length - 1])} ms${c.formerLimitMs === undefined ? '' : `  (former test limit ${c.formerLimitMs} ms)`}`);
  }
  return lines;
}

if (require.main === module) {
  const i = process.argv.indexOf('--repeat');
  const repeat = i > 0 ? Math.max(1, Number(process.argv[i + 1]) || 5) : 5;
  process.stdout.write(`${runMicro(repeat).join('\n')}\n`);
}

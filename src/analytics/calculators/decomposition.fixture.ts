import { CalendarDate, asCalendarDate, type PositionId } from '../../common/branded';
import { addDays } from '../../common/dates';
import { PriceMatrix, buildMarketSeries } from './market';
import { RiskInput, RiskPositionInput, SecurityClass } from './risk-types';

/** A seeded market of factor ETFs and three stocks, and a book on it: the decomposition's test input. */
function normals(seed: number): () => number {
  let s = seed;
  const u = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

function tradingDates(start: string, n: number): CalendarDate[] {
  const out: CalendarDate[] = [];
  let d = asCalendarDate(start);
  while (out.length < n) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d);
    d = addDays(d, 1);
  }
  return out;
}

/** Factor ETFs and three stocks: AAA = 1.5·mkt + ε, BBB = 0.8·mkt + size + ε, CCC = mkt + growth + ε. */
function generateMarket(days: number): PriceMatrix {
  const z = normals(11);
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

export const prices = generateMarket(300);
export const market = buildMarketSeries(prices);
export const lastDate = prices.dates[prices.dates.length - 1];
export const close = (s: string): number => prices.closes.get(s)![prices.dates.length - 1] as number;
const settings = { riskFreeRate: 0.04, defaultImpliedVolatility: 0.25 };

function stock(id: string, symbol: string, dollars: number): RiskPositionInput {
  return {
    id: id as PositionId, symbol, quantity: dollars / close(symbol), entryPrice: 100, entryDate: asCalendarDate('2024-01-02'),
    positionType: dollars < 0 ? 'SHORT' : 'LONG', underlyingSymbol: null, strikePrice: null, expirationDate: null,
    impliedVolatility: null, marketValue: dollars,
  };
}

const klass = (sector: string): SecurityClass => ({ sector, industry: 'x', country: 'US', asset_class: 'equity' });

/** Long $50k AAA (Technology), long $30k BBB (Energy), short $20k CCC (no security-master row), $40k cash. */
export const input: RiskInput = {
  calculationDate: lastDate,
  positions: [stock('a', 'AAA', 50_000), stock('b', 'BBB', 30_000), stock('c', 'CCC', -20_000)],
  history: [],
  market,
  totalValue: 100_000,
  settings,
  classifications: new Map([['AAA', klass('Technology')], ['BBB', klass('Energy')]]),
  tags: new Map([['a', ['growth', 'core']], ['c', ['hedge']]]),
};

/** A call on AAA (priced off its underlying) for the book. */
export function callOnAAA(id: string): RiskPositionInput {
  return {
    id: id as PositionId, symbol: 'AAA_C', quantity: 5, entryPrice: 3, entryDate: asCalendarDate('2024-01-02'), positionType: 'LC',
    underlyingSymbol: 'AAA', strikePrice: Math.round(close('AAA')), expirationDate: addDays(lastDate, 60), impliedVolatility: 0.3,
  };
}

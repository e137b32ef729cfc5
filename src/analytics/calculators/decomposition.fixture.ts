import { asCalendarDate, type PositionId } from '../../common/branded';
import { addDays } from '../../common/dates';
import { buildMarketSeries } from './market';
import { generateMarket } from './test-market.fixture';
import { RiskInput, RiskPositionInput, SecurityClass } from './risk-types';

/** The decomposition's test input: a book on the seeded market of test-market.fixture. */
export const prices = generateMarket(300, 11);
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

import { asCalendarDate } from '../common/branded';
import type { ValidPosition } from '../portfolios/position-rules';

export const DEMO_USER = { email: 'demo@sigmasight.local', password: 'demo-password', fullName: 'Demo Investor' };
export const DEMO_ADMIN = { email: 'admin@sigmasight.local', password: 'admin-password', fullName: 'Demo Admin' };

/** Close of a symbol on a date (the synthetic provider's, so demo entries match its prices); null if unknown. */
export type PriceAt = (symbol: string, date: string) => number | null;

type StockRow = [symbol: string, notionalUsd: number, entryDate: string];
interface OptionRow {
  type: 'LC' | 'LP' | 'SC' | 'SP';
  underlying: string;
  contracts: number;
  /** Strike as a multiple of the underlying's entry price, rounded to 5. */
  moneyness: number;
  expiration: string;
  iv: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function stock([symbol, notional, entryDate]: StockRow, priceAt: PriceAt): ValidPosition {
  const price = priceAt(symbol, entryDate) ?? 100;
  const quantity = Math.sign(notional) * Math.max(1, Math.round(Math.abs(notional) / price));
  return {
    symbol, quantity, entryPrice: round2(price), entryDate, positionType: quantity < 0 ? 'SHORT' : 'LONG',
    underlyingSymbol: null, strikePrice: null, expirationDate: null, impliedVolatility: null,
  };
}

function option(o: OptionRow, entryDate: string, priceAt: PriceAt): ValidPosition {
  const spot = priceAt(o.underlying, entryDate) ?? 100;
  const strike = Math.max(5, Math.round((spot * o.moneyness) / 5) * 5);
  const right = o.type === 'LC' || o.type === 'SC' ? 'C' : 'P';
  const yymmdd = o.expiration.slice(2).replace(/-/g, '');
  return {
    symbol: `${o.underlying}${yymmdd}${right}${String(strike * 1000).padStart(8, '0')}`.slice(0, 21),
    quantity: o.type.startsWith('S') ? -o.contracts : o.contracts,
    entryPrice: round2(spot * 0.06), // premium paid/received at entry, ~6% of spot for ~1-2 years to expiry
    entryDate, positionType: o.type, underlyingSymbol: o.underlying, strikePrice: strike,
    expirationDate: asCalendarDate(o.expiration), impliedVolatility: o.iv,
  };
}

/** Three books of different shapes: long-only balanced, long/short equity, an options overlay. */
export function demoPortfolios(priceAt: PriceAt): Array<{ name: string; cash: number; positions: ValidPosition[] }> {
  const stocks = (rows: StockRow[]) => rows.map((r) => stock(r, priceAt));
  return [
    {
      name: 'Balanced Individual',
      cash: 25_000,
      positions: stocks([
        ['AAPL', 30_000, '2024-03-01'], ['MSFT', 28_000, '2024-03-01'], ['JNJ', 15_000, '2024-05-15'], ['JPM', 18_000, '2024-06-03'],
        ['XOM', 12_000, '2024-07-01'], ['PG', 12_000, '2024-09-03'], ['VTV', 25_000, '2024-10-01'], ['TLT', 20_000, '2024-11-01'],
      ]),
    },
    {
      name: 'Long/Short Equity Fund',
      cash: 400_000,
      positions: stocks([
        ['NVDA', 120_000, '2024-08-01'], ['META', 90_000, '2024-08-01'], ['AMZN', 80_000, '2024-08-01'], ['GOOGL', 70_000, '2024-09-03'],
        ['AVGO', 60_000, '2024-09-03'], ['COST', 50_000, '2024-10-01'], ['TSLA', -60_000, '2024-10-01'], ['INTC', -40_000, '2024-10-01'],
        ['F', -30_000, '2024-11-01'], ['NKE', -35_000, '2024-11-01'], ['IWM', -50_000, '2024-12-02'],
      ]),
    },
    {
      name: 'Options Overlay',
      cash: 60_000,
      positions: [
        ...stocks([['SPY', 100_000, '2025-01-02'], ['QQQ', 50_000, '2025-01-02'], ['AAPL', 40_000, '2025-02-03']]),
        option({ type: 'LP', underlying: 'SPY', contracts: 2, moneyness: 0.9, expiration: '2027-06-18', iv: 0.2 }, '2025-06-02', priceAt),
        option({ type: 'SC', underlying: 'AAPL', contracts: 2, moneyness: 1.15, expiration: '2027-01-15', iv: 0.28 }, '2025-06-02', priceAt),
        option({ type: 'LC', underlying: 'QQQ', contracts: 1, moneyness: 1.1, expiration: '2027-01-15', iv: 0.24 }, '2025-06-02', priceAt),
        option({ type: 'SP', underlying: 'MSFT', contracts: 1, moneyness: 0.85, expiration: '2027-01-15', iv: 0.26 }, '2025-06-02', priceAt),
      ],
    },
  ];
}

import type { ValidPosition } from '../portfolios/position-rules';

export const DEMO_USER = { email: 'demo@sigmasight.local', password: 'demo-password', fullName: 'Demo Investor' };
export const DEMO_ADMIN = { email: 'admin@sigmasight.local', password: 'admin-password', fullName: 'Demo Admin' };

type Row = [symbol: string, quantity: number, entryPrice: number, entryDate: string];
const stock = ([symbol, quantity, entryPrice, entryDate]: Row): ValidPosition => ({
  symbol, quantity, entryPrice, entryDate, positionType: quantity < 0 ? 'SHORT' : 'LONG',
  underlyingSymbol: null, strikePrice: null, expirationDate: null, impliedVolatility: null,
});
const option = (symbol: string, type: 'LC' | 'LP' | 'SC' | 'SP', quantity: number, entryPrice: number, underlying: string, strike: number, expiration: string, iv: number): ValidPosition => ({
  symbol, quantity, entryPrice, entryDate: '2025-06-02', positionType: type,
  underlyingSymbol: underlying, strikePrice: strike, expirationDate: expiration, impliedVolatility: iv,
});

/** Three books of different shapes: a long-only balanced book, a long/short fund, an options overlay. */
export const DEMO_PORTFOLIOS: Array<{ name: string; cash: number; positions: ValidPosition[] }> = [
  {
    name: 'Balanced Individual',
    cash: 25_000,
    positions: ([
      ['AAPL', 120, 185.2, '2024-03-01'], ['MSFT', 60, 410.5, '2024-03-01'], ['JNJ', 90, 158.3, '2024-05-15'],
      ['JPM', 80, 195.1, '2024-06-03'], ['XOM', 100, 112.4, '2024-07-01'], ['PG', 70, 165.0, '2024-09-03'],
      ['VTV', 150, 160.0, '2024-10-01'], ['TLT', 200, 92.5, '2024-11-01'],
    ] as Row[]).map(stock),
  },
  {
    name: 'Long/Short Equity Fund',
    cash: 150_000,
    positions: ([
      ['NVDA', 400, 120.0, '2024-08-01'], ['META', 150, 480.0, '2024-08-01'], ['AMZN', 300, 178.0, '2024-08-01'],
      ['GOOGL', 350, 165.0, '2024-09-03'], ['AVGO', 200, 160.0, '2024-09-03'], ['COST', 60, 880.0, '2024-10-01'],
      ['TSLA', -150, 250.0, '2024-10-01'], ['INTC', -1200, 22.0, '2024-10-01'], ['F', -3000, 11.0, '2024-11-01'],
      ['NKE', -400, 80.0, '2024-11-01'], ['IWM', -250, 220.0, '2024-12-02'],
    ] as Row[]).map(stock),
  },
  {
    name: 'Options Overlay',
    cash: 40_000,
    positions: [
      ...([['SPY', 200, 520.0, '2025-01-02'], ['QQQ', 100, 450.0, '2025-01-02'], ['AAPL', 300, 190.0, '2025-02-03']] as Row[]).map(stock),
      option('SPY270618P00500000', 'LP', 2, 18.5, 'SPY', 500, '2027-06-18', 0.2),
      option('AAPL270115C00240000', 'SC', -3, 9.8, 'AAPL', 240, '2027-01-15', 0.28),
      option('QQQ270115C00500000', 'LC', 2, 25.0, 'QQQ', 500, '2027-01-15', 0.24),
      option('MSFT270115P00350000', 'SP', -2, 12.0, 'MSFT', 350, '2027-01-15', 0.26),
    ],
  },
];

import { GICS_SECTORS, SecurityDetails } from '../securities/security-classes';
import { hashString } from './synthetic-random';

type Row = [name: string, sector: string, industry: string, assetClass?: string];

/**
 * The synthetic provider's classifications: real GICS sectors for the
 * demo, sample and factor symbols (as S&P classifies them), so the demo
 * reads true; any other symbol gets a GICS sector chosen by a hash of its
 * name, always the same. Every symbol is US.
 */
const KNOWN: Readonly<Record<string, Row>> = {
  AAPL: ['Apple Inc.', 'Information Technology', 'Technology Hardware, Storage & Peripherals'],
  MSFT: ['Microsoft Corp.', 'Information Technology', 'Software'],
  NVDA: ['NVIDIA Corp.', 'Information Technology', 'Semiconductors & Semiconductor Equipment'],
  AVGO: ['Broadcom Inc.', 'Information Technology', 'Semiconductors & Semiconductor Equipment'],
  INTC: ['Intel Corp.', 'Information Technology', 'Semiconductors & Semiconductor Equipment'],
  GOOGL: ['Alphabet Inc. Class A', 'Communication Services', 'Interactive Media & Services'],
  GOOG: ['Alphabet Inc. Class C', 'Communication Services', 'Interactive Media & Services'],
  META: ['Meta Platforms Inc.', 'Communication Services', 'Interactive Media & Services'],
  NFLX: ['Netflix Inc.', 'Communication Services', 'Entertainment'],
  AMZN: ['Amazon.com Inc.', 'Consumer Discretionary', 'Broadline Retail'],
  TSLA: ['Tesla Inc.', 'Consumer Discretionary', 'Automobiles'],
  F: ['Ford Motor Co.', 'Consumer Discretionary', 'Automobiles'],
  NKE: ['Nike Inc.', 'Consumer Discretionary', 'Textiles, Apparel & Luxury Goods'],
  COST: ['Costco Wholesale Corp.', 'Consumer Staples', 'Consumer Staples Distribution & Retail'],
  PG: ['Procter & Gamble Co.', 'Consumer Staples', 'Household Products'],
  JNJ: ['Johnson & Johnson', 'Health Care', 'Pharmaceuticals'],
  UNH: ['UnitedHealth Group Inc.', 'Health Care', 'Health Care Providers & Services'],
  JPM: ['JPMorgan Chase & Co.', 'Financials', 'Banks'],
  'BRK.B': ['Berkshire Hathaway Inc. Class B', 'Financials', 'Financial Services'],
  XOM: ['Exxon Mobil Corp.', 'Energy', 'Oil, Gas & Consumable Fuels'],
  CVX: ['Chevron Corp.', 'Energy', 'Oil, Gas & Consumable Fuels'],
  SPY: ['SPDR S&P 500 ETF Trust', 'Diversified', 'Large Blend', 'ETF'],
  QQQ: ['Invesco QQQ Trust', 'Diversified', 'Large Growth', 'ETF'],
  VUG: ['Vanguard Growth ETF', 'Diversified', 'Large Growth', 'ETF'],
  VTV: ['Vanguard Value ETF', 'Diversified', 'Large Value', 'ETF'],
  MTUM: ['iShares MSCI USA Momentum Factor ETF', 'Diversified', 'Large Blend', 'ETF'],
  IWM: ['iShares Russell 2000 ETF', 'Diversified', 'Small Blend', 'ETF'],
  QUAL: ['iShares MSCI USA Quality Factor ETF', 'Diversified', 'Large Blend', 'ETF'],
  USMV: ['iShares MSCI USA Min Vol Factor ETF', 'Diversified', 'Large Blend', 'ETF'],
  TLT: ['iShares 20+ Year Treasury Bond ETF', 'Government', 'Long Government', 'ETF'],
};

const SALT = 0x5ec7025;

export function syntheticSecurity(symbol: string): SecurityDetails {
  const key = symbol.toUpperCase();
  const known = KNOWN[key];
  if (known) {
    const [name, sector, industry, assetClass] = known;
    return { symbol, name, sector, industry, country: 'US', asset_class: assetClass ?? 'Equity' };
  }
  const sector = GICS_SECTORS[hashString(key, SALT) % GICS_SECTORS.length];
  return { symbol, name: null, sector, industry: `${sector} (synthetic)`, country: 'US', asset_class: 'Equity' };
}

import type { GICS_SECTORS } from './security-classes';

type Sector = (typeof GICS_SECTORS)[number];

/**
 * US SIC code (as Polygon's ticker details give it) → GICS sector. SIC
 * classifies by product or process, GICS by business model, so the mapping
 * is approximate. The rule: the SIC major group's dominant GICS sector, with
 * the exceptions below where a SIC range clearly belongs elsewhere. Known
 * differences: internet platforms filed under 7370-7379 (e.g. Alphabet,
 * Meta) land in Information Technology where GICS puts them in
 * Communication Services; an upload (POST /admin/market-data/symbols)
 * overrides any provider row. First matching range wins.
 */
export const SIC_SECTOR_RANGES: ReadonlyArray<readonly [from: number, to: number, sector: Sector]> = [
  [100, 999, 'Consumer Staples'], // agriculture, forestry, fishing
  [1000, 1099, 'Materials'], // metal mining
  [1200, 1399, 'Energy'], // coal, oil and gas extraction and services
  [1400, 1499, 'Materials'], // non-metallic minerals
  [1500, 1799, 'Industrials'], // construction
  [2000, 2199, 'Consumer Staples'], // food, beverages, tobacco
  [2200, 2399, 'Consumer Discretionary'], // textiles, apparel
  [2400, 2499, 'Materials'], // lumber, wood
  [2500, 2599, 'Consumer Discretionary'], // furniture
  [2600, 2699, 'Materials'], // paper
  [2700, 2799, 'Communication Services'], // printing, publishing
  [2830, 2836, 'Health Care'], // pharmaceuticals, biologicals
  [2840, 2844, 'Consumer Staples'], // soap, detergents, cosmetics
  [2800, 2899, 'Materials'], // other chemicals
  [2900, 2999, 'Energy'], // petroleum refining
  [3000, 3099, 'Materials'], // rubber, plastics
  [3100, 3199, 'Consumer Discretionary'], // leather, footwear
  [3200, 3399, 'Materials'], // stone, glass, primary metals
  [3400, 3499, 'Industrials'], // fabricated metal products
  [3570, 3579, 'Information Technology'], // computers, office machines
  [3500, 3599, 'Industrials'], // other industrial machinery
  [3630, 3639, 'Consumer Discretionary'], // household appliances
  [3650, 3659, 'Consumer Discretionary'], // household audio and video
  [3660, 3699, 'Information Technology'], // communications equipment, semiconductors, electronic components
  [3600, 3649, 'Industrials'], // electrical equipment, lighting
  [3710, 3716, 'Consumer Discretionary'], // motor vehicles and parts
  [3750, 3759, 'Consumer Discretionary'], // motorcycles, bicycles
  [3700, 3799, 'Industrials'], // aircraft, ships, railroad equipment, defence
  [3840, 3851, 'Health Care'], // medical instruments and supplies
  [3800, 3899, 'Information Technology'], // measuring and control instruments
  [3900, 3999, 'Consumer Discretionary'], // jewelry, toys, misc manufacturing
  [4000, 4799, 'Industrials'], // transportation
  [4800, 4899, 'Communication Services'], // telephone, broadcasting, cable
  [4900, 4999, 'Utilities'], // electric, gas, water, sanitary
  [5120, 5122, 'Health Care'], // drug wholesale
  [5140, 5149, 'Consumer Staples'], // grocery wholesale
  [5000, 5199, 'Industrials'], // other wholesale
  [5331, 5331, 'Consumer Staples'], // variety stores (warehouse clubs, supercentres)
  [5400, 5499, 'Consumer Staples'], // food stores
  [5912, 5912, 'Consumer Staples'], // drug stores
  [5200, 5999, 'Consumer Discretionary'], // other retail, restaurants
  [6500, 6553, 'Real Estate'], // real estate operators, developers
  [6798, 6798, 'Real Estate'], // REITs
  [6000, 6799, 'Financials'], // banks, brokers, insurance, holding companies
  [7000, 7099, 'Consumer Discretionary'], // hotels
  [7200, 7299, 'Consumer Discretionary'], // personal services
  [7311, 7319, 'Communication Services'], // advertising
  [7370, 7379, 'Information Technology'], // software, computer services
  [7300, 7399, 'Industrials'], // other business services
  [7500, 7599, 'Consumer Discretionary'], // auto repair, rental
  [7800, 7899, 'Communication Services'], // motion pictures
  [7900, 7999, 'Consumer Discretionary'], // amusement, recreation
  [8000, 8099, 'Health Care'], // health services
  [8200, 8299, 'Consumer Discretionary'], // education
  [8000, 8999, 'Industrials'], // engineering, research, management services
];

/** The GICS sector of a SIC code; null for public administration, non-classifiable or unreadable codes. */
export function sectorOfSic(sic: string | number | null | undefined): Sector | null {
  const code = typeof sic === 'number' ? sic : Number.parseInt(String(sic ?? ''), 10);
  if (!Number.isInteger(code)) return null;
  for (const [from, to, sector] of SIC_SECTOR_RANGES) if (code >= from && code <= to) return sector;
  return null;
}

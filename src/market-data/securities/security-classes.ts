import type { FieldError } from '../../common/errors';
import { hasControlCharacter } from '../../common/text-input';
import { UNCLASSIFIED } from '../security-master.store';

/** The 11 GICS sectors (S&P / MSCI, since the 2023 revision): the names the benchmark weights use. */
export const GICS_SECTORS = [
  'Communication Services', 'Consumer Discretionary', 'Consumer Staples', 'Energy', 'Financials', 'Health Care',
  'Industrials', 'Information Technology', 'Materials', 'Real Estate', 'Utilities',
] as const;

/**
 * Sectors a symbol may carry: a GICS sector, `Diversified` (a fund spanning
 * sectors, e.g. SPY), `Government` (sovereign bonds, e.g. TLT), or
 * `Unclassified`. A closed list so that a typo cannot open a new bucket.
 */
export const SECTORS: readonly string[] = [...GICS_SECTORS, 'Diversified', 'Government', UNCLASSIFIED];

export const ASSET_CLASSES = ['Equity', 'ETF', 'Fund', 'Fixed Income', 'Commodity', 'Currency', 'Crypto', 'Other', UNCLASSIFIED] as const;

/** One symbol's classification as a provider or an upload gives it; null = unknown (shown as Unclassified). */
export interface SecurityDetails {
  symbol: string;
  name: string | null;
  sector: string | null;
  industry: string | null;
  country: string | null;
  asset_class: string | null;
}

export const SECURITY_COLUMNS = ['symbol', 'name', 'sector', 'industry', 'country', 'asset_class'] as const;
export type SecurityColumn = (typeof SECURITY_COLUMNS)[number];

const SYMBOL_RE = /^[A-Z0-9][A-Z0-9.^=_-]{0,31}$/;
const COUNTRY_RE = /^[A-Z]{2}$/;
const MAX_TEXT = { name: 200, industry: 100 } as const;

const canonical = (list: readonly string[]) => new Map(list.map((s) => [s.toLowerCase(), s]));
const SECTOR_BY_KEY = canonical(SECTORS);
const ASSET_CLASS_BY_KEY = canonical(ASSET_CLASSES);

/**
 * Validates one row (CSV cells or a JSON object, by column name) and returns
 * its details, or every error of the row. Empty cells mean unknown; sector
 * and asset class match their list case-insensitively; country is an
 * ISO 3166 alpha-2 code.
 */
export function validateSecurityRow(cells: Partial<Record<string, unknown>>, row: number): { details: SecurityDetails } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (column: SecurityColumn, message: string) => errors.push({ row, column, message });
  const text = (column: SecurityColumn): string | null => {
    const v = cells[column];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') {
      fail(column, 'must be text');
      return null;
    }
    const t = v.trim();
    if (hasControlCharacter(t)) {
      fail(column, 'contains a control character');
      return null;
    }
    return t === '' ? null : t;
  };
  const symbol = text('symbol')?.toUpperCase() ?? null;
  if (symbol === null) fail('symbol', 'is required');
  else if (!SYMBOL_RE.test(symbol)) fail('symbol', 'must be 1-32 characters of A-Z 0-9 . ^ = _ -');
  const name = text('name');
  if (name !== null && name.length > MAX_TEXT.name) fail('name', `must be at most ${MAX_TEXT.name} characters`);
  const industry = text('industry');
  if (industry !== null && industry.length > MAX_TEXT.industry) fail('industry', `must be at most ${MAX_TEXT.industry} characters`);
  const sectorText = text('sector');
  const sector = sectorText === null ? null : SECTOR_BY_KEY.get(sectorText.toLowerCase()) ?? null;
  if (sectorText !== null && sector === null) fail('sector', `must be one of: ${SECTORS.join(', ')}`);
  const countryText = text('country');
  const country = countryText?.toUpperCase() ?? null;
  if (country !== null && !COUNTRY_RE.test(country) && country !== UNCLASSIFIED.toUpperCase()) fail('country', 'must be an ISO 3166 alpha-2 code, e.g. US');
  const assetText = text('asset_class');
  const assetClass = assetText === null ? null : ASSET_CLASS_BY_KEY.get(assetText.toLowerCase()) ?? null;
  if (assetText !== null && assetClass === null) fail('asset_class', `must be one of: ${ASSET_CLASSES.join(', ')}`);
  if (errors.length) return { errors };
  return {
    details: {
      symbol: symbol!,
      name,
      sector: sector === UNCLASSIFIED ? null : sector,
      industry: industry === null || industry.toLowerCase() === UNCLASSIFIED.toLowerCase() ? null : industry,
      country: country === UNCLASSIFIED.toUpperCase() ? null : country,
      asset_class: assetClass === UNCLASSIFIED ? null : assetClass,
    },
  };
}

import type { SecurityDetails } from '../securities/security-classes';
import { sectorOfSic } from '../securities/sic-sectors';

/** Polygon ticker `type` → asset class (https://polygon.io/docs/stocks/get_v3_reference_tickers__ticker). */
const ASSET_CLASS_OF_TYPE: Readonly<Record<string, string>> = {
  CS: 'Equity', OS: 'Equity', ADRC: 'Equity', ADRP: 'Equity', ADRR: 'Equity', GDR: 'Equity', NYRS: 'Equity', PFD: 'Equity',
  ETF: 'ETF', ETN: 'ETF', ETV: 'ETF', ETS: 'ETF',
  FUND: 'Fund', BOND: 'Fixed Income', WARRANT: 'Other', RIGHT: 'Other', UNIT: 'Other', SP: 'Other', BASKET: 'Other',
};
/** Polygon `market` for the non-stock markets. */
const ASSET_CLASS_OF_MARKET: Readonly<Record<string, string>> = { crypto: 'Crypto', fx: 'Currency' };

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Title case for SIC descriptions, which Polygon sends in capitals ("ELECTRONIC COMPUTERS"). */
function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s/(&-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase()).slice(0, 100);
}

/**
 * One ticker-details `results` object → a classification: industry =
 * `sic_description`, sector from `sic_code` (sic-sectors.ts), country =
 * `locale` upper-cased when it is a country ("us"; "global" is unknown),
 * asset class from `type` (else `market`). An ETF has no SIC code: its
 * sector is `Diversified`. What Polygon leaves out stays null.
 */
export function securityFromTickerDetails(symbol: string, results: unknown): SecurityDetails {
  const r = (results !== null && typeof results === 'object' ? results : {}) as Record<string, unknown>;
  const type = text(r.type)?.toUpperCase() ?? null;
  const market = text(r.market)?.toLowerCase() ?? null;
  const assetClass = (type && ASSET_CLASS_OF_TYPE[type]) || (market && ASSET_CLASS_OF_MARKET[market]) || null;
  const locale = text(r.locale)?.toUpperCase() ?? null;
  const industry = text(r.sic_description);
  const sector = sectorOfSic(text(r.sic_code)) ?? (assetClass === 'ETF' || assetClass === 'Fund' ? 'Diversified' : null);
  return {
    symbol,
    name: text(r.name)?.slice(0, 200) ?? null,
    sector,
    industry: industry ? titleCase(industry) : null,
    country: locale && /^[A-Z]{2}$/.test(locale) ? locale : null,
    asset_class: assetClass,
  };
}

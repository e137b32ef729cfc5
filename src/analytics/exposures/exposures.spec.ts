import { asCalendarDate, type PositionId } from '../../common/branded';
import { calculateRisk } from '../calculators/risk';
import type { RiskPositionInput, SecurityClass } from '../calculators/risk-types';
import { calculateExposures, ExposureItem } from './exposures';
import { parseBenchmarkWeights, SP500_SECTOR_WEIGHTS } from './benchmark-weights';

const cls = (sector: string, industry: string, asset_class = 'Equity', country = 'US'): SecurityClass => ({ sector, industry, country, asset_class });
const classifications = new Map<string, SecurityClass>([
  ['AAPL', cls('Information Technology', 'Technology Hardware')],
  ['MSFT', cls('Information Technology', 'Software')],
  ['TSLA', cls('Consumer Discretionary', 'Automobiles')],
  ['SPY', cls('Diversified', 'Large Blend', 'ETF')],
]);
const item = (positionId: string, symbol: string, exposure: number | null, priceSymbol = symbol): ExposureItem => ({ positionId, symbol, priceSymbol, exposure });

/**
 * A hand-computed book, total value 100,000: AAPL +30,000 and MSFT +20,000
 * (IT), TSLA −10,000 (Consumer Discretionary), XYZ +5,000 (unknown to the
 * security master), a SPY put at delta-adjusted −8,000 (Diversified), and
 * BAD without a close. Long = 55,000, short = −18,000, gross = 73,000,
 * net = 37,000.
 */
describe('calculateExposures (hand-computed book)', () => {
  const record = calculateExposures({
    totalValue: 100_000,
    classifications,
    tags: new Map([['p1', ['core', 'tech']], ['p2', ['core']], ['p4', ['spec']]]),
    items: [item('p1', 'AAPL', 30_000), item('p2', 'MSFT', 20_000), item('p3', 'TSLA', -10_000), item('p4', 'XYZ', 5_000), item('p5', 'BAD', null), item('p6', 'SPY270618P00500000', -8_000, 'SPY')],
  });
  const bucket = (list: Array<{ key: string }>, key: string) => list.find((b) => b.key === key) as Record<string, unknown>;

  it('totals in currency and percent of total value; options said to be delta-adjusted', () => {
    expect(record.option_exposure_basis).toBe('delta_adjusted');
    expect(record.totals).toEqual({ long: 55_000, short: -18_000, gross: 73_000, net: 37_000, long_pct: 55, short_pct: -18, gross_pct: 73, net_pct: 37, positions: 5 });
    expect(record.unpriced).toEqual([{ position_id: 'p5', symbol: 'BAD', reason: 'exposure unknown' }]);
  });

  it('sectors: every GICS sector with its benchmark weight, the unknown symbol Unclassified, buckets add up to the totals', () => {
    expect(record.by_sector.slice(0, 4).map((b) => [b.key, b.long, b.short, b.gross, b.net])).toEqual([
      ['Information Technology', 50_000, 0, 50_000, 50_000],
      ['Consumer Discretionary', 0, -10_000, 10_000, -10_000],
      ['Diversified', 0, -8_000, 8_000, -8_000],
      ['Unclassified', 5_000, 0, 5_000, 5_000],
    ]);
    // weights of benchmark-sector-weights.v2.json (as of 2025-11-28)
    expect(bucket(record.by_sector, 'Information Technology')).toMatchObject({ net_pct: 50, benchmark_weight_pct: 34.6, positions: 2 });
    expect(bucket(record.by_sector, 'Information Technology').active_weight_pct).toBeCloseTo(50 - 34.6, 12);
    expect(bucket(record.by_sector, 'Consumer Discretionary').active_weight_pct).toBeCloseTo(-10 - 10.3, 12);
    expect(bucket(record.by_sector, 'Financials')).toMatchObject({ gross: 0, net_pct: 0, benchmark_weight_pct: 13.1, active_weight_pct: -13.1, positions: 0 });
    expect(bucket(record.by_sector, 'Unclassified')).toMatchObject({ benchmark_weight_pct: null, active_weight_pct: null });
    expect(record.by_sector).toHaveLength(11 + 2);
    for (const list of [record.by_sector, record.by_industry, record.by_country, record.by_asset_class]) {
      expect(list.reduce((s, b) => s + b.long, 0)).toBe(55_000);
      expect(list.reduce((s, b) => s + b.short, 0)).toBe(-18_000);
    }
  });

  it('industry, country and asset class', () => {
    expect(record.by_industry.map((b) => [b.key, b.net])).toEqual([
      ['Technology Hardware', 30_000], ['Software', 20_000], ['Automobiles', -10_000], ['Large Blend', -8_000], ['Unclassified', 5_000],
    ]);
    expect(record.by_country.map((b) => [b.key, b.long, b.short])).toEqual([['US', 50_000, -18_000], ['Unclassified', 5_000, 0]]);
    expect(record.by_asset_class.map((b) => [b.key, b.net])).toEqual([['Equity', 40_000], ['ETF', -8_000], ['Unclassified', 5_000]]);
  });

  it('tags: a position counts in each of its tags; untagged positions apart', () => {
    expect(record.by_tag.map((b) => [b.key, b.net, b.positions])).toEqual([['core', 50_000, 2], ['tech', 30_000, 1], ['spec', 5_000, 1]]);
    expect(record.untagged).toMatchObject({ long: 0, short: -18_000, net: -18_000, positions: 2 });
  });

  it('percentages are null when the total value is not positive', () => {
    const r = calculateExposures({ totalValue: 0, items: [item('p', 'AAPL', 100)] });
    expect(r.totals).toMatchObject({ long: 100, long_pct: null, net_pct: null });
    expect(r.by_sector.find((b) => b.key === 'Unclassified')).toMatchObject({ net: 100, active_weight_pct: null });
  });
});

describe('the shipped benchmark weights', () => {
  it('are the 11 GICS sectors, adding to 100 within rounding, with an as-of date and a source', () => {
    expect(Object.keys(SP500_SECTOR_WEIGHTS.weights_pct)).toHaveLength(11);
    expect(SP500_SECTOR_WEIGHTS.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(SP500_SECTOR_WEIGHTS.source).toContain('S&P Dow Jones Indices');
    expect(() => parseBenchmarkWeights({ ...SP500_SECTOR_WEIGHTS, weights_pct: { A: 60 } })).toThrow(/add to 60/);
  });
});

/**
 * Through calculateRisk: a long call is counted at delta × underlying close ×
 * quantity × 100. Hull (9th ed.) Example 15.6: S = 42, K = 40, r = 10%,
 * σ = 20%, T = 0.5 → N(d1) = 0.7791. With T = 183/365 = 0.50137 the delta
 * moves by under 0.0005, so 2 contracts are 0.7791 × 2 × 100 × 42 ≈ 6,544.4.
 */
describe('exposures in the risk record', () => {
  it('options at delta-adjusted exposure, stocks at market value, classified by the underlying', () => {
    const dates = [asCalendarDate('2024-06-28'), asCalendarDate('2024-07-01')];
    const market = { dates, closes: new Map([['XYZ', new Float64Array([41, 42])]]) };
    const call: RiskPositionInput = {
      id: 'c1' as PositionId, symbol: 'XYZ241231C00040000', quantity: 2, entryPrice: 4, entryDate: dates[0], positionType: 'LC',
      underlyingSymbol: 'XYZ', strikePrice: 40, expirationDate: asCalendarDate('2024-12-31'), impliedVolatility: 0.2,
    };
    const shares: RiskPositionInput = {
      id: 's1' as PositionId, symbol: 'XYZ', quantity: 100, entryPrice: 40, entryDate: dates[0], positionType: 'LONG',
      underlyingSymbol: null, strikePrice: null, expirationDate: null, impliedVolatility: null, marketValue: 4_200,
    };
    const risk = calculateRisk({
      calculationDate: dates[1], positions: [call, shares], history: [], market, totalValue: 20_000,
      settings: { riskFreeRate: 0.1, defaultImpliedVolatility: 0.3 },
      classifications: new Map([['XYZ', cls('Energy', 'Oil')]]),
    });
    const x = risk.exposures!;
    expect(x.option_exposure_basis).toBe('delta_adjusted');
    expect(x.totals.long).toBeCloseTo(6_544.4 + 4_200, -1);
    const energy = x.by_sector.find((b) => b.key === 'Energy')!;
    expect(energy.positions).toBe(2);
    expect(energy.long).toBe(x.totals.long);
  });
});

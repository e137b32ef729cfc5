import type { DecompositionRecord, GroupDecompositionRecord } from './decomposition-types';
import { callOnAAA, close, input, prices } from './decomposition.fixture';
import { buildMarketSeries } from './market';
import { calculateRisk } from './risk';

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const MEASURES = ['volatility', 'var_95', 'var_99'] as const;
const totalOf = (d: DecompositionRecord, m: (typeof MEASURES)[number]): number => (m === 'volatility' ? d.volatility_1d.amount : d[m].amount);
const byName = (groups: GroupDecompositionRecord[]) => Object.fromEntries(groups.map((g) => [g.name, g]));

describe('risk record: decomposition section', () => {
  const r = calculateRisk(input);
  const d = r.decomposition!;

  it('uses the VaR window and reproduces the record\'s VaR and 252-day volatility', () => {
    expect(d.window_days).toBe(252);
    expect(d.observations).toBe(252);
    expect(relErr(d.var_95.amount, r.var!.var_95_amount)).toBeLessThan(1e-12);
    expect(relErr(d.var_99.amount, r.var!.var_99_amount)).toBeLessThan(1e-12);
    expect(relErr((d.volatility_1d.pct / 100) * Math.sqrt(252), r.volatility.vol_252d!)).toBeLessThan(1e-12);
    expect(d.var_95.scenarios.map((s) => s.weight).reduce((a, b) => a + b)).toBeCloseTo(1, 14);
    for (const s of d.var_99.scenarios) expect(prices.dates).toContain(s.date);
  });

  it.each(MEASURES)('%s: positions, sectors and tags each sum to the total within 1e-9 relative', (m) => {
    const total = totalOf(d, m);
    for (const parts of [d.positions, d.by_sector, d.by_tag]) {
      const s = parts.reduce((a, p) => a + p[m].contribution_amount, 0);
      expect(relErr(s, total)).toBeLessThan(1e-9);
      expect(parts.reduce((a, p) => a + p[m].share!, 0)).toBeCloseTo(1, 9);
    }
  });

  it('position: weight = exposure / total value, contribution / denominator = weight × marginal, share of the total', () => {
    const a = d.positions.find((p) => p.symbol === 'AAA')!;
    expect(a.weight).toBe(0.5);
    expect(a.sector).toBe('Technology');
    expect(a.tags).toEqual(['core', 'growth']);
    for (const m of MEASURES) {
      expect(a[m].contribution_amount / d.return_denominator).toBeCloseTo(a.weight * a[m].marginal!, 14);
      expect(a[m].share).toBeCloseTo(a[m].contribution_amount / totalOf(d, m), 14);
    }
    // the short hedges: AAA and BBB carry more than the whole, CCC takes some away
    expect(d.positions.find((p) => p.symbol === 'CCC')!.volatility.contribution_amount).toBeLessThan(0);
  });

  it('sectors: a symbol without a classification is Unclassified, never dropped', () => {
    const s = byName(d.by_sector);
    expect(Object.keys(s).sort()).toEqual(['Energy', 'Technology', 'Unclassified']);
    expect(s.Unclassified.positions).toBe(1);
    expect(s.Unclassified.exposure).toBe(-20_000);
  });

  it('tags: a position with two tags adds half to each; untagged positions are grouped as Untagged', () => {
    const t = byName(d.by_tag);
    const a = d.positions.find((p) => p.symbol === 'AAA')!;
    const b = d.positions.find((p) => p.symbol === 'BBB')!;
    expect(d.tag_allocation).toBe('even_split');
    expect(t.core.volatility.contribution_amount).toBeCloseTo(a.volatility.contribution_amount / 2, 10);
    expect(t.growth.var_95.contribution_amount).toBeCloseTo(a.var_95.contribution_amount / 2, 10);
    expect(t.core.exposure).toBe(25_000);
    expect(t.Untagged.volatility.contribution_amount).toBe(b.volatility.contribution_amount);
    expect(t.hedge.positions).toBe(1);
  });

  it('factor attribution: systematic share = the factor fit\'s R² and the factor shares add up to it', () => {
    const f = d.factor_attribution!;
    expect(f.window_days).toBe(180);
    expect(f.observations).toBe(r.factor_exposures!.observations);
    expect(f.systematic_share).toBeCloseTo(r.factor_exposures!.r_squared, 9);
    expect(f.systematic_share + f.idiosyncratic_share).toBeCloseTo(1, 12);
    expect(Object.values(f.factor_shares).reduce((a, b) => a + b)).toBeCloseTo(f.systematic_share, 12);
    expect(f.factor_shares.market).toBeGreaterThan(0.5);
  });

  it('an option counts at its delta-adjusted exposure', () => {
    const withOption = calculateRisk({ ...input, positions: [...input.positions, callOnAAA('o')] });
    const o = withOption.decomposition!.positions.find((p) => p.symbol === 'AAA_C')!;
    expect(o.price_symbol).toBe('AAA');
    expect(o.sector).toBe('Technology');
    expect(o.exposure).toBeGreaterThan(0.3 * 500 * close('AAA'));
    expect(o.exposure).toBeLessThan(0.7 * 500 * close('AAA'));
    const s = withOption.decomposition!.positions.reduce((a, p) => a + p.var_99.contribution_amount, 0);
    expect(relErr(s, withOption.decomposition!.var_99.amount)).toBeLessThan(1e-9);
  });

  it('null with a reason when the holdings cannot be valued over time or there are too few days', () => {
    const none = calculateRisk({ ...input, positions: [] });
    expect(none.decomposition).toBeNull();
    expect(none.reasons.decomposition).toBe('no holdings return series');
    const short = calculateRisk({ ...input, market: buildMarketSeries({ dates: prices.dates.slice(0, 60), closes: new Map([...prices.closes].map(([s, c]) => [s, Array.from(c).slice(0, 60)])) }), calculationDate: prices.dates[59] });
    expect(short.decomposition).toBeNull();
    expect(short.reasons.decomposition).toBe('insufficient data: 59 observations, need 100');
  });
});

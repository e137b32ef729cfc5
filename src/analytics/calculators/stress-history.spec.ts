// @ts-ignore -- import attributes (see stress-scenarios.ts)
import v1 from '../stress-scenarios.v1.json' with { type: 'json' };
// @ts-ignore -- import attributes
import v2 from '../stress-scenarios.v2.json' with { type: 'json' };
import { DEFAULT_STRESS_SCENARIOS, parseStressScenarios } from './stress-scenarios';
import { stressSection } from './risk-sections';

const byId = Object.fromEntries(DEFAULT_STRESS_SCENARIOS.scenarios.map((s) => [s.id, s]));
const DURATION = 17; // the file's rates convention: TLT return ≈ −17 × Δyield

describe('historical stress scenarios (stress-scenarios.v3.json)', () => {
  it('keeps every version 1 scenario unchanged, as hypothetical', () => {
    for (const s of (v1 as { scenarios: Array<{ id: string; shocks: object }> }).scenarios) {
      expect(byId[s.id]).toMatchObject({ kind: 'hypothetical', source: null, window: null, shocks: s.shocks });
    }
  });

  it('version 3 is version 2 with one shock corrected: gfc_2008 rates (10-year yield on 2008-09-12 3.74%, not 3.72%)', () => {
    type Set = { scenarios: Array<{ id: string; shocks: Record<string, number> }> };
    const previous = Object.fromEntries((v2 as unknown as Set).scenarios.map((s) => [s.id, s.shocks]));
    expect(DEFAULT_STRESS_SCENARIOS.version).toBe(3);
    expect(Object.keys(previous)).toEqual(Object.keys(byId));
    for (const [id, shocks] of Object.entries(previous)) {
      if (id === 'gfc_2008') expect(byId[id].shocks).toEqual({ ...shocks, rates: 0.1479 });
      else expect(byId[id].shocks).toEqual(shocks);
    }
    expect(previous.gfc_2008.rates).toBe(0.1445);
  });

  it('adds 2008-09, 2020-03 and 2022 with a window and a source each', () => {
    const historical = DEFAULT_STRESS_SCENARIOS.scenarios.filter((s) => s.kind === 'historical');
    expect(historical.map((s) => s.id)).toEqual(['gfc_2008', 'covid_2020', 'rates_shock_2022']);
    for (const s of historical) {
      expect(s.source).toMatch(/\w/);
      expect(s.window!.from < s.window!.to).toBe(true);
    }
  });

  it('each shock is the stated figure: index levels, yield moves at duration 17, ETF return spreads', () => {
    expect(byId.gfc_2008.shocks.market).toBeCloseTo(676.53 / 1251.7 - 1, 4); // S&P 500 2008-09-12 → 2009-03-09
    expect(byId.gfc_2008.shocks.rates).toBeCloseTo(DURATION * (0.0374 - 0.0287), 4); // 10y 3.74% → 2.87%
    expect(byId.covid_2020.shocks.market).toBeCloseTo(2237.4 / 3386.15 - 1, 4); // S&P 500 2020-02-19 → 2020-03-23
    expect(byId.covid_2020.shocks.rates).toBeCloseTo(DURATION * (0.0156 - 0.0076), 3); // 10y 1.56% → 0.76%
    const r2022 = byId.rates_shock_2022.shocks;
    expect(r2022.market).toBe(-0.1817); // SPY 2022 total return
    expect(r2022.growth).toBeCloseTo(-0.3315 - -0.0208, 10); // VUG − VTV
    expect(r2022.size).toBeCloseTo(-0.2048 - -0.1817, 10); // IWM − SPY
    expect(r2022.rates).toBe(-0.3124); // TLT
  });

  it('a historical scenario without a source or window is refused', () => {
    const scenario = { id: 'h', name: 'h', kind: 'historical', shocks: { market: -0.1 } };
    expect(() => parseStressScenarios({ version: 9, scenarios: [scenario] })).toThrow(/needs a source/);
    expect(() => parseStressScenarios({ version: 9, scenarios: [{ ...scenario, source: 'x' }] })).toThrow(/needs a window/);
    expect(() => parseStressScenarios({ version: 9, scenarios: [{ ...scenario, kind: 'imagined' }] })).toThrow(/unknown kind/);
  });

  it('results report kind and source beside the P&L = Σ exposure × shock', () => {
    const factors = { market: { beta: 1, dollar_exposure: 100_000 }, growth: { beta: 0.5, dollar_exposure: 50_000 }, momentum: { beta: 0, dollar_exposure: 0 },
      size: { beta: 0.2, dollar_exposure: 20_000 }, quality: { beta: 0, dollar_exposure: 0 }, low_vol: { beta: 0, dollar_exposure: 0 } };
    const record = stressSection(
      { window_days: 180, observations: 180, r_squared: 0.9, alpha: 0, factors },
      { proxy: 'TLT', beta: -0.1, dollar_exposure: -10_000, observations: 180, window_days: 180 },
      null, 100_000, 100_000, DEFAULT_STRESS_SCENARIOS,
    );
    const r = Object.fromEntries(record.results.map((x) => [x.id, x]));
    // 100,000 × −0.1817 + 50,000 × −0.3107 + 20,000 × −0.0231 + (−10,000) × −0.3124
    expect(r.rates_shock_2022.pnl).toBeCloseTo(-18_170 - 15_535 - 462 + 3_124, 6);
    expect(r.rates_shock_2022).toMatchObject({ kind: 'historical', window: { from: '2021-12-31', to: '2022-12-30' } });
    expect(r.rates_shock_2022.source).toContain('iShares');
    expect(r.market_down_10).toMatchObject({ kind: 'hypothetical', source: null, pnl: -10_000 });
  });
});

import { asCalendarDate, type PositionId } from '../../common/branded';

import { addDays } from '../../common/dates';
import { MarketSeries, buildMarketSeries } from './market';
import { calculateRisk } from './risk';
import { RiskInput, RiskPositionInput, SnapshotHistoryPoint } from './risk-types';
import { DEFAULT_STRESS_SCENARIOS, parseStressScenarios } from './stress-scenarios';
import { PositionInput } from './types';
import { generateMarket, normals } from './test-market.fixture';

/** Readable test ids (asPositionId takes uuids only). */
const asPositionId = (name: string) => name as PositionId;

const settings = { riskFreeRate: 0.04, defaultImpliedVolatility: 0.25 };

function stock(id: string, symbol: string, quantity: number, marketValue: number): RiskPositionInput {
  return {
    id: asPositionId(id), symbol, quantity, entryPrice: 100, entryDate: asCalendarDate('2024-01-02'),
    positionType: quantity < 0 ? 'SHORT' : 'LONG', underlyingSymbol: null, strikePrice: null,
    expirationDate: null, impliedVolatility: null, marketValue,
  };
}

const prices = generateMarket(300, 42);
const market = buildMarketSeries(prices);
const lastDate = prices.dates[prices.dates.length - 1];
const close = (s: string): number => prices.closes.get(s)![prices.dates.length - 1] as number;

/** Long $50k AAA, long $30k BBB, short $20k CCC, $40k cash: total value $100k. */
function book(): RiskPositionInput[] {
  const qty = (s: string, dollars: number): number => dollars / close(s);
  return [
    stock('a', 'AAA', qty('AAA', 50_000), 50_000),
    stock('b', 'BBB', qty('BBB', 30_000), 30_000),
    stock('c', 'CCC', qty('CCC', -20_000), -20_000),
  ];
}

function history(returns: (number | null)[]): SnapshotHistoryPoint[] {
  let v = 100_000;
  return returns.map((r, i) => {
    v *= 1 + (r ?? 0);
    return { date: prices.dates[prices.dates.length - returns.length + i], totalValue: v, dailyReturn: r };
  });
}

const base: RiskInput = {
  calculationDate: lastDate, positions: book(), history: [], market, totalValue: 100_000, settings,
};

describe('calculateRisk on a generated market', () => {
  const r = calculateRisk(base);

  it('measures volatility on the holdings series (all windows available)', () => {
    // expected daily sd ≈ sqrt(0.79²·1e-4 + (0.3² + 0.2²)·1.6e-5 + 9.5e-6) ≈ 0.0086 → ≈ 13.7% a year
    expect(r.return_basis).toBe('total_value');
    expect(r.holdings_observations).toBe(252);
    for (const v of [r.volatility.vol_21d, r.volatility.vol_63d, r.volatility.vol_252d]) {
      expect(v).toBeGreaterThan(0.07);
      expect(v).toBeLessThan(0.22);
    }
    expect(r.volatility.vol_252d).toBeGreaterThan(0.11);
    expect(r.volatility.vol_252d).toBeLessThan(0.165);
  });

  it('finds the constructed beta (0.5·1.5 + 0.3·0.8 − 0.2·1 = 0.79)', () => {
    expect(r.beta!.observations).toBe(90);
    expect(r.beta!.beta).toBeGreaterThan(0.69);
    expect(r.beta!.beta).toBeLessThan(0.89);
    expect(r.beta!.r_squared).toBeGreaterThan(0.7);
    const betas = Object.fromEntries(r.position_betas.map((b) => [b.symbol, b.beta]));
    expect(betas.AAA).toBeCloseTo(1.5, 0);
    expect(Math.abs(betas.AAA! - 1.5)).toBeLessThan(0.12);
  });

  it('recovers factor loadings: market 0.79, size 0.3, growth −0.2, others ≈ 0', () => {
    const f = r.factor_exposures!;
    expect(f.observations).toBe(180);
    expect(Math.abs(f.factors.market.beta - 0.79)).toBeLessThan(0.08);
    expect(Math.abs(f.factors.size.beta - 0.3)).toBeLessThan(0.15);
    expect(Math.abs(f.factors.growth.beta + 0.2)).toBeLessThan(0.15);
    for (const k of ['momentum', 'quality', 'low_vol'] as const) expect(Math.abs(f.factors[k].beta)).toBeLessThan(0.15);
    expect(f.factors.market.dollar_exposure).toBeCloseTo(f.factors.market.beta * 100_000, 6);
    expect(Math.abs(r.rates_exposure!.beta)).toBeLessThan(0.1);
  });

  it('reports VaR/CVaR: VaR99 ≥ VaR95 > 0, CVaR ≥ VaR, currency = pct × total value', () => {
    const v = r.var!;
    expect(v.observations).toBe(252);
    expect(v.var_95_pct).toBeGreaterThan(0.5);
    expect(v.var_95_pct).toBeLessThan(3);
    expect(v.var_99_pct).toBeGreaterThanOrEqual(v.var_95_pct);
    expect(v.cvar_95_pct).toBeGreaterThanOrEqual(v.var_95_pct);
    expect(v.cvar_99_pct).toBeGreaterThanOrEqual(v.var_99_pct);
    expect(v.var_95_amount).toBeCloseTo((v.var_95_pct / 100) * 100_000, 6);
  });

  it('correlation matrix: symmetric, unit diagonal, labelled by position', () => {
    const c = r.correlation;
    expect(c.symbols).toEqual(['AAA', 'BBB', 'CCC']);
    for (let i = 0; i < 3; i++) {
      expect(c.matrix[i][i]).toBe(1);
      for (let j = 0; j < 3; j++) expect(c.matrix[i][j]).toBe(c.matrix[j][i]);
    }
    expect(c.matrix[0][1]).toBeGreaterThan(0.5); // both load on the market
  });

  it('concentration on gross exposure: weights .5/.3/.2 → HHI 3800', () => {
    expect(r.concentration!.hhi).toBeCloseTo(3800, 6);
    expect(r.concentration!.effective_positions).toBeCloseTo(10_000 / 3800, 9);
    expect(r.gross_exposure).toBeCloseTo(100_000, 6);
  });

  it('stress tests: P&L = Σ factor dollar exposure × shock', () => {
    const f = r.factor_exposures!.factors;
    const byId = Object.fromEntries(r.stress_tests.results.map((s) => [s.id, s]));
    expect(r.stress_tests.scenario_set_version).toBe(3);
    expect(r.stress_tests.market_exposure_source).toBe('factor_model');
    expect(byId.market_down_10.pnl).toBeCloseTo(-0.1 * f.market.dollar_exposure, 6);
    expect(byId.market_down_10.pnl_pct).toBeCloseTo((-0.1 * f.market.dollar_exposure) / 1000, 6);
    expect(byId.growth_to_value.pnl).toBeCloseTo(-0.08 * f.growth.dollar_exposure, 6);
    expect(byId.rates_up_100bp.pnl).toBeCloseTo(-0.17 * r.rates_exposure!.dollar_exposure, 6);
    expect(byId.flight_to_quality.pnl).toBeCloseTo(
      -0.08 * f.market.dollar_exposure + 0.03 * f.quality.dollar_exposure + 0.04 * f.low_vol.dollar_exposure
        + 0.05 * r.rates_exposure!.dollar_exposure, 6);
    expect(r.stress_tests.results.every((s) => s.pnl !== null && s.reason === null)).toBe(true);
  });

  it('greeks of a stock book: delta = shares, dollar delta = net exposure', () => {
    expect(r.greeks!.option_positions).toBe(0);
    expect(r.greeks!.dollar_delta).toBeCloseTo(60_000, 6);
    expect(r.greeks!.gamma).toBe(0);
  });

  it('a new portfolio: full risk, performance null with a reason', () => {
    expect(r.performance).toMatchObject({ observations: 0, max_drawdown: null, sharpe: null, sortino: null });
    expect(r.reasons['performance.sharpe']).toBe('insufficient data: 0 realised daily returns, need 2');
    expect(Object.keys(r.reasons)).toEqual(['performance.max_drawdown', 'performance.sharpe', 'performance.sortino']);
    expect(r.missing_prices).toEqual([]);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });
});

describe('calculateRisk edge cases', () => {
  it('performance on the realised history', () => {
    const r = calculateRisk({ ...base, history: history([null, 0.01, -0.02, 0.015, 0.005]) });
    expect(r.performance.observations).toBe(4);
    // peak after +1%, then −2%: drawdown −2%
    expect(r.performance.max_drawdown).toBeCloseTo(-0.02, 12);
    expect(r.performance.sharpe).not.toBeNull();
    expect(r.performance.sortino).not.toBeNull();
    const one = calculateRisk({ ...base, history: history([0.01]) });
    expect(one.performance.sharpe).toBeNull();
    expect(one.reasons['performance.max_drawdown']).toBe('insufficient data: 1 realised daily returns, need 2');
  });

  it('too little price history: short windows only, the rest null with reasons', () => {
    const short = generateMarket(50, 7);
    const r = calculateRisk({ ...base, market: short, calculationDate: short.dates[49] });
    expect(r.volatility.vol_21d).not.toBeNull();
    expect(r.volatility.vol_63d).toBeNull();
    expect(r.reasons['volatility.vol_63d']).toBe('insufficient data: 49 observations, need 63');
    expect(r.beta!.observations).toBe(49);
    expect(r.factor_exposures).toBeNull();
    expect(r.reasons.factor_exposures).toBe('insufficient data: 49 observations, need 60');
    expect(r.reasons.var).toBe('insufficient data: 49 observations, need 100');
    // stress falls back to the 90-day beta for the market factor; spread factors have none
    expect(r.stress_tests.market_exposure_source).toBe('beta');
    const byId = Object.fromEntries(r.stress_tests.results.map((s) => [s.id, s]));
    expect(byId.market_down_5.pnl).toBeCloseTo(-0.05 * r.beta!.beta * 100_000, 6);
    expect(byId.growth_to_value.pnl).toBeNull();
    expect(byId.growth_to_value.reason).toMatch(/no exposure estimate for factor\(s\): growth/);
  });

  it('a symbol without prices: holdings metrics null with the reason, missing price reported', () => {
    const positions = [...book(), stock('z', 'ZZZ', 10, 1_000)];
    const r = calculateRisk({ ...base, positions });
    expect(r.volatility.vol_21d).toBeNull();
    expect(r.reasons.holdings).toMatch(/ZZZ: no price history for ZZZ/);
    expect(r.reasons['volatility.vol_21d']).toBe(r.reasons.holdings);
    expect(r.missing_prices).toEqual([{ symbol: 'ZZZ', date: lastDate }]);
    expect(r.position_betas.find((b) => b.symbol === 'ZZZ')!.reason).toBe('no price history for ZZZ');
    expect(r.greeks).toBeNull();
    expect(r.correlation.matrix[3][0]).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('no SPY: beta and factor model null with a reason', () => {
    const closes = new Map(prices.closes);
    closes.delete('SPY');
    const r = calculateRisk({ ...base, market: { dates: prices.dates, closes } });
    expect(r.beta).toBeNull();
    expect(r.reasons.beta).toBe('no prices for SPY');
    expect(r.reasons.factor_exposures).toBe('no prices for factor ETF(s): SPY');
    expect(r.missing_prices).toContainEqual({ symbol: 'SPY', date: lastDate });
  });

  it('caps stress losses at the portfolio value for a leveraged book', () => {
    const qty = 500_000 / close('AAA');
    const r = calculateRisk({ ...base, positions: [stock('a', 'AAA', qty, 500_000)], totalValue: 50_000 });
    const down20 = r.stress_tests.results.find((s) => s.id === 'market_down_20')!;
    expect(down20.pnl).toBe(-50_000);
    expect(down20.pnl_pct).toBe(-100);
    expect(down20.capped).toBe(true);
  });

  it('options: delta-adjusted exposure and portfolio Greeks = Σ per-share Greeks × qty × 100', () => {
    const call: RiskPositionInput = {
      id: asPositionId('call'), symbol: 'AAA-C', quantity: 3, entryPrice: 5, entryDate: asCalendarDate('2024-06-03'),
      positionType: 'LC', underlyingSymbol: 'AAA', strikePrice: Math.round(close('AAA')),
      expirationDate: addDays(lastDate, 60), impliedVolatility: 0.3,
    };
    const put: RiskPositionInput = { ...call, id: asPositionId('put'), symbol: 'SPY-P', positionType: 'SP', quantity: -2, underlyingSymbol: 'SPY', strikePrice: Math.round(close('SPY') * 0.95) };
    const r = calculateRisk({ ...base, positions: [call, put], totalValue: 10_000 });
    const g = r.greeks!;
    expect(g.option_positions).toBe(2);
    expect(g.delta).toBeGreaterThan(0); // long call (+) and short put (+)
    expect(g.gamma).toBeLessThan(3 * 100); // bounded
    expect(g.theta).toBeLessThan(0.01 * 1e6);
    expect(r.beta).not.toBeNull();
    expect(r.concentration).not.toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('excludes positions entered after the calculation date and accepts a raw price matrix', () => {
    const later = { ...stock('late', 'AAA', 1, 100), entryDate: addDays(lastDate, 1) };
    const r = calculateRisk({ ...base, market: prices, positions: [...book(), later] });
    expect(r.correlation.position_ids).toEqual(['a', 'b', 'c']);
    expect(r.beta!.beta).toBeCloseTo(calculateRisk(base).beta!.beta, 12);
  });

  it('with no positions: metrics null with reasons, stress results null', () => {
    const r = calculateRisk({ ...base, positions: [], totalValue: 5_000 });
    expect(r.reasons.holdings).toBe('no positions');
    expect(r.reasons.concentration).toBe('no positions');
    expect(r.stress_tests.results.every((s) => s.pnl === null)).toBe(true);
  });
});

describe('stress scenarios file', () => {
  it('ships version 3 with market ±5/10/20%, rotations and rates ±100 bp', () => {
    const ids = DEFAULT_STRESS_SCENARIOS.scenarios.map((s) => s.id);
    expect(DEFAULT_STRESS_SCENARIOS.version).toBe(3);
    for (const id of ['market_up_5', 'market_down_5', 'market_up_10', 'market_down_10', 'market_up_20', 'market_down_20',
      'growth_to_value', 'momentum_crash', 'small_cap_rally', 'flight_to_quality', 'rates_up_100bp', 'rates_down_100bp']) {
      expect(ids).toContain(id);
    }
  });
  it('rejects unknown factors and malformed files', () => {
    expect(() => parseStressScenarios({ version: 1, scenarios: [{ id: 'x', name: 'x', shocks: { gold: 0.1 } }] })).toThrow(/unknown factor gold/);
    expect(() => parseStressScenarios({ scenarios: [] })).toThrow(TypeError);
  });
});

describe('calculateRisk on a shared MarketSeries', () => {
  // its speed is measured by the benchmark (npm run bench, bench:micro), never by a wall-clock limit here
  it('gives the same record on every call for a 30-position book over 300 days', () => {
    const z = normals(3);
    const dates = prices.dates;
    const closes = new Map(prices.closes);
    for (let s = 0; s < 30; s++) {
      const c: number[] = [100];
      for (let i = 1; i < dates.length; i++) c.push(c[i - 1] * (1 + 0.015 * z()));
      closes.set(`S${s}`, c);
    }
    const shared = new MarketSeries(dates, closes);
    const positions: PositionInput[] = Array.from({ length: 30 }, (_, s) => stock(`p${s}`, `S${s}`, 10, 10 * (closes.get(`S${s}`)![dates.length - 1] as number)));
    const input = { ...base, market: shared, positions, totalValue: 50_000 };
    const first = calculateRisk(input);
    expect(first.var).not.toBeNull();
    expect(first.correlation?.matrix).toHaveLength(30);
    for (let i = 0; i < 3; i++) expect(calculateRisk(input)).toEqual(first);
  });
});

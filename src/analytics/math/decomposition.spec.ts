import {
  covarianceContributions, historicalVarContributions, quantileScenarios, riskContributions, volatilityContributions,
} from './decomposition';
import { factorVarianceSplit } from './factor-variance';
import { multipleRegression } from './ols';
import { historicalVar } from './var';

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);
const rows = (...r: number[][]): Float64Array[] => r.map((x) => Float64Array.from(x));
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** A deterministic pseudo-random generator (Park–Miller LCG) with Box–Muller normals. */
function normals(seed: number): () => number {
  let s = seed;
  const u = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

describe('three-asset example, computed by hand', () => {
  // Daily P&L (currency) of three positions over five days; P = A + B + C.
  //   A = [ 1, -2,  3,  0, -2]
  //   B = [ 2,  1, -1, -4,  1]
  //   C = [ 0, -1,  1,  1, -3]
  //   P = [ 3, -2,  3, -3, -4]   mean −0.6, deviations d = [3.6, −1.4, 3.6, −2.4, −3.4]
  const pnl = rows([1, -2, 3, 0, -2], [2, 1, -1, -4, 1], [0, -1, 1, 1, -3]);

  it('volatility: σ² = Σd²/4 = 45.2/4 = 11.3; c_i = cov(p_i, P)/σ', () => {
    // cov(A,P) = Σ A·d / 4 = (3.6 + 2.8 + 10.8 + 0 + 6.8)/4 = 24/4 = 6
    // cov(B,P) = (7.2 − 1.4 − 3.6 + 9.6 − 3.4)/4 = 8.4/4 = 2.1
    // cov(C,P) = (0 + 1.4 + 3.6 − 2.4 + 10.2)/4 = 12.8/4 = 3.2;  6 + 2.1 + 3.2 = 11.3 = σ²
    const v = volatilityContributions(pnl).value!;
    const sigma = Math.sqrt(11.3);
    expect(v.total).toBeCloseTo(sigma, 14);
    expect(v.contributions[0]).toBeCloseTo(6 / sigma, 14);
    expect(v.contributions[1]).toBeCloseTo(2.1 / sigma, 14);
    expect(v.contributions[2]).toBeCloseTo(3.2 / sigma, 14);
    expect(relErr(sum(v.contributions), v.total)).toBeLessThan(1e-12);
  });

  it('VaR 90%: h = 4·0.1 = 0.4 between the worst day (P = −4) and the next (P = −3)', () => {
    // q = 0.6·(−4) + 0.4·(−3) = −3.6 (numpy.percentile(P, 10) = −3.6), VaR = 3.6
    // A: −(0.6·(−2) + 0.4·0) = 1.2;  B: −(0.6·1 + 0.4·(−4)) = 1.0;  C: −(0.6·(−3) + 0.4·1) = 1.4;  Σ = 3.6
    const v = historicalVarContributions(pnl, 0.9).value!;
    expect(v.total).toBeCloseTo(3.6, 14);
    expect(Array.from(v.contributions).map((c) => +c.toFixed(12))).toEqual([1.2, 1, 1.4]);
    expect(v.scenarios).toEqual([{ index: 4, weight: expect.closeTo(0.6, 14) }, { index: 3, weight: expect.closeTo(0.4, 14) }]);
  });

  it('VaR 75%: h = 4·0.25 = 1, exactly the second-worst day (day 4, P = −3): components −(0, −4, 1)', () => {
    const v = historicalVarContributions(pnl, 0.75).value!;
    expect(v.total).toBe(3);
    expect(Array.from(v.contributions)).toEqual([-0, 4, -1]);
    expect(v.scenarios).toEqual([{ index: 3, weight: 1 }]);
  });

  it('delta-normal: x = (2, 1, 1), Σ = [[2.25, 3, 1], [3, 16, 2], [1, 2, 4]] → Σx = (8.5, 24, 8), x′Σx = 49, σ = 7', () => {
    const r = covarianceContributions([2, 1, 1], [[2.25, 3, 1], [3, 16, 2], [1, 2, 4]]).value!;
    expect(r.total).toBe(7);
    // marginal (Σx)_i/σ = 8.5/7, 24/7, 8/7; component x_i·marginal = 17/7, 24/7, 8/7 (Σ = 49/7 = 7)
    expect(Array.from(r.marginals)).toEqual([8.5 / 7, 24 / 7, 8 / 7]);
    expect(Array.from(r.contributions)).toEqual([17 / 7, 24 / 7, 8 / 7]);
  });
});

describe('published component-VaR example', () => {
  // Jorion, P., "Value at Risk: The New Benchmark for Managing Financial Risk", 3rd ed. (McGraw-Hill, 2007),
  // ch. 7 "Portfolio Risk: Analytical Methods", the two-currency example: US$2 million in CAD and US$1 million
  // in EUR, uncorrelated, annual volatilities 5% and 12%, 95% confidence with α = 1.65.
  // Published: portfolio VaR $257,738; individual VaRs $165,000 (CAD) and $198,000 (EUR); marginal VaR
  // ΔVaR = (0.0528, 0.1521); component VaR $105,630 (41.0%) CAD and $152,108 (59.0%) EUR.
  const x = [2_000_000, 1_000_000];
  const cov = [[0.05 ** 2, 0], [0, 0.12 ** 2]];
  const alpha = 1.65;
  const r = covarianceContributions(x, cov).value!;

  it('portfolio VaR $257,738', () => {
    expect(Math.round(alpha * r.total)).toBe(257_738);
  });

  it('component VaR CAD $105,630 (41.0%), EUR $152,108 (59.0%), summing to the VaR', () => {
    const c = Array.from(r.contributions, (v) => alpha * v);
    expect(Math.round(c[0])).toBe(105_630);
    expect(Math.round(c[1])).toBe(152_108);
    expect((c[0] / (alpha * r.total)) * 100).toBeCloseTo(41.0, 1);
    expect((c[1] / (alpha * r.total)) * 100).toBeCloseTo(59.0, 1);
    expect(relErr(c[0] + c[1], alpha * r.total)).toBeLessThan(1e-12);
  });

  it('marginal VaR per dollar 0.0528 (CAD) and 0.1521 (EUR)', () => {
    expect(alpha * r.marginals[0]).toBeCloseTo(0.0528, 4);
    expect(alpha * r.marginals[1]).toBeCloseTo(0.1521, 4);
  });

  it('individual VaRs $165,000 and $198,000: undiversified $363,000 > diversified', () => {
    expect(alpha * x[0] * 0.05).toBeCloseTo(165_000, 6);
    expect(alpha * x[1] * 0.12).toBeCloseTo(198_000, 6);
    expect(alpha * r.total).toBeLessThan(363_000);
  });

  it('the P&L form agrees with the covariance form on a sample: historical Euler = delta-normal Euler on the sample covariance', () => {
    const z = normals(7);
    const n = 500;
    const pnl = rows(Array.from({ length: n }, () => x[0] * 0.05 * z()), Array.from({ length: n }, () => x[1] * 0.12 * z()));
    const mean = pnl.map((r) => sum(r) / n);
    const sample = pnl.map((a, i) => pnl.map((b, j) => sum(a.map((v, t) => (v - mean[i]) * (b[t] - mean[j]))) / (n - 1)));
    const h = volatilityContributions(pnl).value!;
    const c = covarianceContributions([1, 1], sample).value!;
    expect(relErr(h.total, c.total)).toBeLessThan(1e-12);
    expect(relErr(h.contributions[0], c.contributions[0])).toBeLessThan(1e-10);
    expect(relErr(h.contributions[1], c.contributions[1])).toBeLessThan(1e-10);
  });
});

describe('additivity on a 30 × 252 book (contributions sum to the total within 1e-9 relative)', () => {
  const z = normals(2024);
  const market = Array.from({ length: 252 }, () => 0.01 * z());
  const pnl = Array.from({ length: 30 }, (_, i) => {
    const exposure = (i % 7 === 0 ? -1 : 1) * (10_000 + 1_000 * i);
    const beta = 0.5 + (i % 5) * 0.3;
    return Float64Array.from(market, (m) => exposure * (beta * m + 0.015 * z()));
  });
  const P = Float64Array.from(market, (_, t) => sum(pnl.map((r) => r[t])));

  it('volatility', () => {
    const v = volatilityContributions(pnl).value!;
    expect(relErr(sum(v.contributions), v.total)).toBeLessThan(1e-9);
  });

  it.each([0.95, 0.99])('historical VaR %s equals −quantile of the portfolio P&L and its parts add up', (c) => {
    const v = historicalVarContributions(pnl, c).value!;
    const reference = historicalVar(P, 1).value!;
    expect(relErr(v.total, c === 0.95 ? reference.var95.var : reference.var99.var)).toBeLessThan(1e-12);
    expect(relErr(sum(v.contributions), v.total)).toBeLessThan(1e-9);
    // 252 scenarios: h = 251·0.05 = 12.55 and 251·0.01 = 2.51, two neighbouring days
    expect(v.scenarios.map((s) => s.weight)).toEqual([expect.closeTo(c === 0.95 ? 0.45 : 0.49, 12), expect.closeTo(c === 0.95 ? 0.55 : 0.51, 12)]);
  });

  it('riskContributions (one pass, what the risk record uses) = the separate estimators; a scenario form without gaps = the matrix', () => {
    const all = riskContributions(pnl, 100).value!;
    const vol = volatilityContributions(pnl).value!;
    expect(all.volatility.total).toBeCloseTo(vol.total, 9);
    const separate = historicalVarContributions(pnl, 0.99).value!.contributions; // weights from 1 − 0.99, not 0.01: equal to ~1e-15
    all.var99.contributions.forEach((c, i) => expect(Math.abs(c - separate[i])).toBeLessThan(1e-9 * all.var99.total));
    // scale × series over columns 2..253 of longer series reproduce the same figures
    const series = pnl.map((r) => Float64Array.from([NaN, NaN, ...r.map((v) => v / 1000)]));
    const scaled = riskContributions({ scale: new Float64Array(30).fill(1000), series, columns: Int32Array.from({ length: 252 }, (_, t) => t + 2) }, 100).value!;
    expect(relErr(scaled.var95.total, all.var95.total)).toBeLessThan(1e-12);
    expect(relErr(scaled.volatility.contributions[3], all.volatility.contributions[3])).toBeLessThan(1e-12);
  });

  it('gives null with a reason when there are too few days or rows disagree', () => {
    expect(volatilityContributions(pnl.map((r) => r.subarray(0, 50)), 100).reason).toBe('insufficient data: 50 observations, need 100');
    expect(historicalVarContributions([new Float64Array(3), new Float64Array(4)], 0.95).reason).toBe('P&L rows are not aligned');
    expect(volatilityContributions(rows([1, 1, 1])).reason).toBe('the portfolio P&L has no variance');
  });
});

describe('quantileScenarios', () => {
  it('breaks ties by index', () => {
    expect(quantileScenarios(Float64Array.from([-1, -1, 0]), 0.25)).toEqual([{ index: 0, weight: 0.5 }, { index: 1, weight: 0.5 }]);
  });
});

describe('factorVarianceSplit', () => {
  const z = normals(99);
  const n = 180;
  const f1 = Array.from({ length: n }, () => 0.01 * z());
  const f2 = Array.from({ length: n }, () => 0.005 * z());
  const y = f1.map((a, t) => 0.0002 + 1.1 * a - 0.4 * f2[t] + 0.006 * z());
  y[10] = NaN; // a gap: the row is dropped, as OLS drops it

  it('with in-sample OLS betas the systematic share is the R² and the parts add up', () => {
    const fit = multipleRegression(y, [f1, f2], 60).value!;
    const s = factorVarianceSplit(y, [f1, f2], fit.coefficients).value!;
    expect(s.observations).toBe(n - 1);
    expect(s.systematicShare).toBeCloseTo(fit.rSquared, 12);
    expect(s.systematicShare + s.idiosyncraticShare).toBeCloseTo(1, 12);
    expect(sum(s.factorShares)).toBeCloseTo(s.systematicShare, 12);
  });

  it('hand example: one factor, beta 0.5 → systematic b²·var_f / var_y = 0.5', () => {
    // f = [2, −2, 2, −2]: mean 0, Σf² = 16, var_f = 16/3; y = [2, −2, 0, 0]: var_y = 8/3
    // b'Σ_f b = 0.25 · 16/3 = 4/3; share = (4/3)/(8/3) = 0.5
    const s = factorVarianceSplit([2, -2, 0, 0], [[2, -2, 2, -2]], [0.5]).value!;
    expect(s.totalVariance).toBeCloseTo(8 / 3, 14);
    expect(s.systematicVariance).toBeCloseTo(4 / 3, 14);
    expect(s.systematicShare).toBeCloseTo(0.5, 14);
  });
});

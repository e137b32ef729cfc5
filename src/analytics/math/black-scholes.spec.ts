import { BlackScholesInput, blackScholes } from './black-scholes';
import { normCdf, normPdf } from './normal';

const price = (i: BlackScholesInput): number => blackScholes(i).value!.price;

describe('normCdf', () => {
  // Reference values: 0.5·erfc(−x/√2) (Python math.erfc), i.e. scipy.stats.norm.cdf.
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.96, 0.9750021048517795],
    [-1.96, 0.024997895148220435],
    [3, 0.9986501019683699],
    [-5, 2.866515718791946e-7],
    [-8, 6.220960574271819e-16],
  ])('N(%s) = %s', (x, expected) => {
    expect(Math.abs(normCdf(x) - expected)).toBeLessThan(1e-14 + 1e-12 * expected);
  });
  it('has the right density and tails', () => {
    expect(normPdf(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normCdf(40)).toBe(1);
    expect(normCdf(-40)).toBe(0);
  });
});

describe('blackScholes price — Hull, Options, Futures and Other Derivatives (9th ed.), Example 15.6', () => {
  // S0 = 42, K = 40, r = 10%, σ = 20%, T = 0.5: d1 = 0.7693, d2 = 0.6278, c = 4.76, p = 0.81
  const base = { spot: 42, strike: 40, rate: 0.1, volatility: 0.2, timeYears: 0.5 };
  it('call = 4.76', () => expect(price({ ...base, kind: 'call' })).toBeCloseTo(4.76, 2));
  it('put = 0.81', () => expect(price({ ...base, kind: 'put' })).toBeCloseTo(0.81, 2));
  it('call delta = N(d1) = N(0.7693) = 0.7791', () => {
    expect(blackScholes({ ...base, kind: 'call' }).value!.delta).toBeCloseTo(0.7791, 4);
  });
});

describe('blackScholes Greeks — Hull (9th ed.), ch. 19 "The Greek Letters" running example', () => {
  // S0 = 49, K = 50, r = 5%, σ = 20%, T = 20 weeks = 0.3846 years; BS value ≈ $2.40 per share
  // (the $240,000 for 100,000 calls). Hull: Δ = 0.522, Θ = −4.31 per year (−0.0118 per
  // calendar day), Γ = 0.066, vega = 12.1 (0.121 per 1% of vol), ρ = 8.91 (0.0891 per 1%).
  const g = blackScholes({ kind: 'call', spot: 49, strike: 50, rate: 0.05, volatility: 0.2, timeYears: 20 / 52 }).value!;
  it('price ≈ 2.40', () => expect(g.price).toBeCloseTo(2.4, 2));
  it('delta 0.522', () => expect(g.delta).toBeCloseTo(0.522, 3));
  it('gamma 0.066', () => expect(g.gamma).toBeCloseTo(0.066, 3));
  it('theta −4.31/365 = −0.0118 per calendar day', () => {
    expect(g.theta * 365).toBeCloseTo(-4.31, 2);
    expect(g.theta).toBeCloseTo(-0.0118, 4);
  });
  it('vega 12.1 → 0.121 per percentage point', () => expect(g.vega).toBeCloseTo(0.121, 3));
  it('rho 8.91 → 0.0891 per percentage point', () => expect(g.rho).toBeCloseTo(0.0891, 4));
});

describe('blackScholes properties', () => {
  const grid: Omit<BlackScholesInput, 'kind'>[] = [];
  for (const spot of [20, 49, 100, 180]) {
    for (const strike of [25, 50, 100, 150]) {
      for (const t of [0.02, 0.25, 1, 3]) {
        for (const [rate, vol] of [[0, 0.1], [0.05, 0.2], [0.1, 0.6], [-0.01, 1.2]]) {
          grid.push({ spot, strike, timeYears: t, rate, volatility: vol });
        }
      }
    }
  }

  it('put–call parity: c − p = S − K·e^(−rT)', () => {
    for (const p of grid) {
      const c = blackScholes({ ...p, kind: 'call' }).value!;
      const q = blackScholes({ ...p, kind: 'put' }).value!;
      const parity = p.spot - p.strike * Math.exp(-p.rate * p.timeYears);
      expect(c.price - q.price).toBeCloseTo(parity, 9);
      expect(c.delta - q.delta).toBeCloseTo(1, 12);
      expect(c.gamma).toBeCloseTo(q.gamma, 14);
      expect(c.vega).toBeCloseTo(q.vega, 14);
    }
  });

  it('Greeks match finite differences (per-day theta, per-1% vega and rho)', () => {
    const h = 1e-4;
    for (const p of grid.filter((_, i) => i % 7 === 0)) {
      for (const kind of ['call', 'put'] as const) {
        const g = blackScholes({ ...p, kind }).value!;
        const at = (d: Partial<BlackScholesInput>): number => price({ ...p, kind, ...d });
        const tol = 1e-5 * Math.max(1, p.spot);
        expect(g.delta).toBeCloseTo((at({ spot: p.spot + h }) - at({ spot: p.spot - h })) / (2 * h), 5);
        expect(g.vega).toBeCloseTo((at({ volatility: p.volatility + h }) - at({ volatility: p.volatility - h })) / (2 * h) / 100, 5);
        expect(g.rho).toBeCloseTo((at({ rate: p.rate + h }) - at({ rate: p.rate - h })) / (2 * h) / 100, 5);
        const dt = (at({ timeYears: p.timeYears - h }) - at({ timeYears: p.timeYears + h })) / (2 * h) / 365;
        expect(Math.abs(g.theta - dt)).toBeLessThan(tol);
      }
    }
  });

  it('values expired options at intrinsic with step deltas', () => {
    const base = { strike: 100, rate: 0.05, volatility: 0.3, timeYears: 0 };
    expect(blackScholes({ ...base, kind: 'call', spot: 110 }).value).toEqual({
      price: 10, delta: 1, gamma: 0, theta: 0, vega: 0, rho: 0,
    });
    expect(blackScholes({ ...base, kind: 'put', spot: 110 }).value!.price).toBe(0);
    expect(blackScholes({ ...base, kind: 'put', spot: 110 }).value!.delta).toBe(0);
    expect(blackScholes({ ...base, kind: 'put', spot: 90, timeYears: -0.1 }).value!.delta).toBe(-1);
    expect(blackScholes({ ...base, kind: 'put', spot: 90, timeYears: -0.1 }).value!.price).toBe(10);
  });

  it('prices a zero-volatility option as the discounted forward payoff', () => {
    const c = blackScholes({ kind: 'call', spot: 100, strike: 90, rate: 0.05, volatility: 0, timeYears: 1 }).value!;
    expect(c.price).toBeCloseTo(100 - 90 * Math.exp(-0.05), 12);
    expect(c.delta).toBe(1);
    const p = blackScholes({ kind: 'put', spot: 100, strike: 90, rate: 0.05, volatility: 0, timeYears: 1 }).value!;
    expect(p.price).toBe(0);
    // the σ → 0 limit agrees with a tiny σ
    const tiny = blackScholes({ kind: 'call', spot: 100, strike: 90, rate: 0.05, volatility: 1e-9, timeYears: 1 }).value!;
    expect(tiny.price).toBeCloseTo(c.price, 9);
    expect(tiny.theta).toBeCloseTo(c.theta, 9);
    expect(tiny.rho).toBeCloseTo(c.rho, 9);
  });

  it('returns a reason, never NaN, for invalid inputs', () => {
    const base = { kind: 'call' as const, spot: 100, strike: 100, rate: 0.05, volatility: 0.2, timeYears: 1 };
    expect(blackScholes({ ...base, spot: 0 }).reason).toBe('underlying price must be positive, got 0');
    expect(blackScholes({ ...base, strike: -1 }).reason).toBe('strike must be positive, got -1');
    expect(blackScholes({ ...base, volatility: Number.NaN }).reason).toBe('option inputs must be finite numbers');
  });
});

import { historicalVar, quantile, quantileSorted, tailLoss } from './var';

/** A deterministic pseudo-random generator (Park–Miller LCG) for property tests. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

describe('quantile (numpy.percentile, method="linear")', () => {
  // numpy.percentile docstring: a = [[10, 7, 4], [3, 2, 1]]
  it('np.percentile(a, 50) == 3.5', () => {
    expect(quantile([10, 7, 4, 3, 2, 1], 0.5).value).toBe(3.5);
  });
  it('np.percentile(a, 50, axis=0) == [6.5, 4.5, 2.5]', () => {
    expect(quantile([10, 3], 0.5).value).toBe(6.5);
    expect(quantile([7, 2], 0.5).value).toBe(4.5);
    expect(quantile([4, 1], 0.5).value).toBe(2.5);
  });
  it('np.percentile(a, 50, axis=1) == [7, 2]', () => {
    expect(quantile([10, 7, 4], 0.5).value).toBe(7);
    expect(quantile([3, 2, 1], 0.5).value).toBe(2);
  });
  it('interpolates at h = (n − 1)·q: np.percentile(range(1, 11), 5) == 1.45', () => {
    const v = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quantile(v, 0.05).value).toBeCloseTo(1.45, 12);
    expect(quantile(v, 0).value).toBe(1);
    expect(quantile(v, 1).value).toBe(10);
    expect(quantileSorted([5], 0.37)).toBe(5);
  });
  it('skips missing values and rejects a bad level', () => {
    expect(quantile([null, 3, Number.NaN, 1], 0.5).value).toBe(2);
    expect(quantile([], 0.5).value).toBeNull();
    expect(quantile([1, 2], 1.5).reason).toMatch(/within \[0, 1\]/);
  });
});

describe('historicalVar', () => {
  // Hand-checked: r = −5%, −4%, …, +14% (20 values).
  // 5% quantile: h = 19·0.05 = 0.95 → −0.05 + 0.95·0.01 = −0.0405; CVaR = mean(r ≤ q) = 0.05
  // 1% quantile: h = 0.19 → −0.0481; CVaR 0.05
  const r = Array.from({ length: 20 }, (_, i) => (i - 5) / 100);

  it('reports positive loss fractions from the linear quantile', () => {
    const v = historicalVar(r, 20).value!;
    expect(v.var95.var).toBeCloseTo(0.0405, 12);
    expect(v.var95.cvar).toBeCloseTo(0.05, 12);
    expect(v.var99.var).toBeCloseTo(0.0481, 12);
    expect(v.var99.cvar).toBeCloseTo(0.05, 12);
    expect(v.observations).toBe(20);
  });

  it('CVaR averages every return at or below the quantile', () => {
    // sorted [−0.10, −0.08, −0.02, 0.01, 0.03]; 25% quantile: h = 1 → −0.08; CVaR = (0.10 + 0.08)/2
    const t = tailLoss([-0.1, -0.08, -0.02, 0.01, 0.03], 0.75);
    expect(t.var).toBeCloseTo(0.08, 12);
    expect(t.cvar).toBeCloseTo(0.09, 12);
  });

  it('is null with a reason below the minimum number of returns', () => {
    expect(historicalVar(r.slice(0, 12))).toEqual({ value: null, reason: 'insufficient data: 12 observations, need 30' });
  });

  it('property: VaR99 ≥ VaR95 and CVaR ≥ VaR on random samples', () => {
    const rnd = lcg(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = 30 + Math.floor(rnd() * 300);
      const rets = Array.from({ length: n }, () => (rnd() - 0.5) * 0.06 + (rnd() < 0.05 ? -0.05 : 0));
      const v = historicalVar(rets).value!;
      expect(v.var99.var).toBeGreaterThanOrEqual(v.var95.var);
      expect(v.var95.cvar).toBeGreaterThanOrEqual(v.var95.var - 1e-15);
      expect(v.var99.cvar).toBeGreaterThanOrEqual(v.var99.var - 1e-15);
      expect(v.var99.cvar).toBeGreaterThanOrEqual(v.var95.cvar - 1e-15);
    }
  });
});

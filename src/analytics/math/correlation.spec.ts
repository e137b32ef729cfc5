import { correlationMatrix, pearsonCorrelation } from './correlation';
import { concentration } from './concentration';

// Anscombe (1973), datasets I and II: correlation with x is 0.816.
const X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const Y1 = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

describe('pearsonCorrelation', () => {
  it('matches Anscombe: r = 0.816', () => {
    expect(pearsonCorrelation(X, Y1, 11).value).toBeCloseTo(0.816, 3);
  });
  it('is ±1 for linear relations', () => {
    const a = Array.from({ length: 40 }, (_, i) => Math.sin(i));
    expect(pearsonCorrelation(a, a.map((v) => 3 * v + 1)).value).toBeCloseTo(1, 14);
    expect(pearsonCorrelation(a, a.map((v) => -v)).value).toBeCloseTo(-1, 14);
  });
  it('uses only overlapping days and needs the minimum overlap', () => {
    const a = Array.from({ length: 40 }, (_, i) => (i < 20 ? null : Math.sin(i)));
    const b = Array.from({ length: 40 }, (_, i) => Math.cos(i));
    expect(pearsonCorrelation(a, b).reason).toBe('insufficient data: 20 overlapping observations, need 30');
    expect(pearsonCorrelation(a, b, 20).value).not.toBeNull();
    expect(pearsonCorrelation(new Array(40).fill(1), b).reason).toBe('a series has no variance');
  });
});

describe('correlationMatrix', () => {
  it('property: symmetric, unit diagonal, entries within [−1, 1] or null', () => {
    const rnd = lcg(11);
    const n = 90;
    const base = Array.from({ length: n }, () => rnd() - 0.5);
    const series = Array.from({ length: 8 }, (_, k) =>
      base.map((b) => (rnd() < 0.05 ? null : b * (k % 3) + (rnd() - 0.5))),
    );
    series.push(Array.from({ length: n }, (_, i) => (i < 70 ? null : rnd()))); // 20 days only
    const m = correlationMatrix(series, 30);
    expect(m).toHaveLength(9);
    for (let i = 0; i < 9; i++) {
      expect(m[i][i]).toBe(1);
      for (let j = 0; j < 9; j++) {
        expect(m[i][j]).toBe(m[j][i]);
        if (i !== j && m[i][j] !== null) {
          expect(Math.abs(m[i][j]!)).toBeLessThanOrEqual(1);
        }
      }
    }
    for (let j = 0; j < 8; j++) expect(m[8][j]).toBeNull();
    expect(m[0][1]).not.toBeNull();
  });
  it('gap-free series (one-pass path) agree with the pairwise Pearson', () => {
    const rnd = lcg(5);
    const series = Array.from({ length: 6 }, () => Float64Array.from({ length: 90 }, () => rnd() - 0.5));
    series.push(new Float64Array(90).fill(0.01)); // constant → null entries
    const m = correlationMatrix(series, 30);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        if (i !== j) expect(m[i][j]).toBeCloseTo(pearsonCorrelation(series[i], series[j]).value!, 12);
      }
      expect(m[i][6]).toBeNull();
    }
  });
  it('handles no series', () => {
    expect(correlationMatrix([])).toEqual([]);
  });
});

describe('concentration', () => {
  it('property: HHI of n equal weights is 10,000 / n, effective positions n', () => {
    for (const n of [1, 2, 3, 7, 30]) {
      const c = concentration(new Array(n).fill(1234.5)).value!;
      expect(c.hhi).toBeCloseTo(10_000 / n, 8);
      expect(c.effectivePositions).toBeCloseTo(n, 10);
      expect(c.top3Weight).toBeCloseTo(Math.min(3, n) / n, 12);
      expect(c.top10Weight).toBeCloseTo(Math.min(10, n) / n, 12);
    }
  });
  it('weights on gross exposure, shorts by absolute value (hand-checked)', () => {
    // gross 100 → weights .5 .3 .2; HHI = (.25 + .09 + .04)·10⁴ = 3800; effective 2.6316
    const c = concentration([50, -30, 20]).value!;
    expect(c.grossExposure).toBe(100);
    expect(c.weights).toEqual([0.5, 0.3, 0.2]);
    expect(c.hhi).toBeCloseTo(3800, 9);
    expect(c.effectivePositions).toBeCloseTo(10_000 / 3800, 12);
    expect(c.largestWeight).toBe(0.5);
    expect(c.top3Weight).toBeCloseTo(1, 12);
  });
  it('is null with a reason for no or zero exposure', () => {
    expect(concentration([]).reason).toBe('no positions');
    expect(concentration([0, 0]).reason).toBe('gross exposure is zero');
    expect(concentration([1, null]).reason).toBe('exposure of position #1 is unknown');
  });
});

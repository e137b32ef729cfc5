import { linearRegression } from './regression';
import { multipleRegression } from './ols';

/**
 * F. J. Anscombe, "Graphs in Statistical Analysis", The American Statistician
 * 27(1), 1973: datasets I–III all give ȳ = 7.50, y = 3.00 + 0.500·x,
 * correlation 0.816 and r² = 0.67 (printed to 2–3 decimals).
 */
const ANSCOMBE_X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const ANSCOMBE_Y = [
  [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68],
  [9.14, 8.14, 8.74, 8.77, 9.26, 8.1, 6.13, 3.1, 9.13, 7.26, 4.74],
  [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73],
];

describe('linearRegression', () => {
  it.each(ANSCOMBE_Y.map((y, i) => [i + 1, y] as const))('matches Anscombe dataset %s', (_n, y) => {
    const fit = linearRegression(y, ANSCOMBE_X, 11).value!;
    expect(fit.beta).toBeCloseTo(0.5, 3);
    expect(fit.alpha).toBeCloseTo(3.0, 2);
    expect(fit.rSquared).toBeCloseTo(0.67, 2);
    expect(Math.sqrt(fit.rSquared)).toBeCloseTo(0.816, 3);
    expect(fit.observations).toBe(11);
  });

  it('beta of a series on itself is exactly 1 with r² = 1 and alpha 0', () => {
    const x = Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 0.02 + 0.001);
    const fit = linearRegression(x, x).value!;
    expect(fit.beta).toBe(1);
    expect(fit.rSquared).toBeCloseTo(1, 14);
    expect(fit.alpha).toBeCloseTo(0, 15);
  });

  it('recovers a constructed beta and alpha', () => {
    const x = Array.from({ length: 50 }, (_, i) => Math.cos(i * 0.9) * 0.01);
    const y = x.map((v) => 0.0002 + 1.7 * v);
    const fit = linearRegression(y, x).value!;
    expect(fit.beta).toBeCloseTo(1.7, 12);
    expect(fit.alpha).toBeCloseTo(0.0002, 14);
  });

  it('skips pairs with a missing side and reports too few observations', () => {
    const x = Array.from({ length: 40 }, (_, i) => (i % 7) * 0.01);
    const y = x.map((v, i) => (i < 15 ? null : v * 2));
    expect(linearRegression(y, x)).toEqual({ value: null, reason: 'insufficient data: 25 observations, need 30' });
    expect(linearRegression(y, x, 20).value!.observations).toBe(25);
  });

  it('is null with a reason (not NaN) when x is constant or lengths differ', () => {
    const x = new Array(40).fill(0.01);
    const y = Array.from({ length: 40 }, (_, i) => i * 0.001);
    expect(linearRegression(y, x).reason).toBe('no variance in the explanatory series');
    expect(linearRegression(y, x.slice(1)).value).toBeNull();
  });

  it('accepts Float64Array with NaN gaps', () => {
    const x = Float64Array.from({ length: 35 }, (_, i) => Math.sin(i) * 0.01);
    const y = x.map((v) => 2 * v);
    y[3] = Number.NaN;
    const fit = linearRegression(y, x).value!;
    expect(fit.observations).toBe(34);
    expect(fit.beta).toBeCloseTo(2, 12);
  });
});

/**
 * NIST Statistical Reference Datasets, Longley (1967) linear regression,
 * "higher difficulty": certified coefficients and R²
 * (https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml).
 */
const LONGLEY: number[][] = [
  [60323, 83.0, 234289, 2356, 1590, 107608, 1947],
  [61122, 88.5, 259426, 2325, 1456, 108632, 1948],
  [60171, 88.2, 258054, 3682, 1616, 109773, 1949],
  [61187, 89.5, 284599, 3351, 1650, 110929, 1950],
  [63221, 96.2, 328975, 2099, 3099, 112075, 1951],
  [63639, 98.1, 346999, 1932, 3594, 113270, 1952],
  [64989, 99.0, 365385, 1870, 3547, 115094, 1953],
  [63761, 100.0, 363112, 3578, 3350, 116219, 1954],
  [66019, 101.2, 397469, 2904, 3048, 117388, 1955],
  [67857, 104.6, 419180, 2822, 2857, 118734, 1956],
  [68169, 108.4, 442769, 2936, 2798, 120445, 1957],
  [66513, 110.8, 444546, 4681, 2637, 121950, 1958],
  [68655, 112.6, 482704, 3813, 2552, 123366, 1959],
  [69564, 114.2, 502601, 3931, 2514, 125368, 1960],
  [69331, 115.7, 518173, 4806, 2572, 127852, 1961],
  [70551, 116.9, 554894, 4007, 2827, 130081, 1962],
];
const LONGLEY_CERTIFIED = [
  -3482258.63459582, 15.0618722713733, -0.358191792925910e-1, -2.02022980381683, -1.03322686717359,
  -0.511041056535807e-1, 1829.15146461355,
];
const LONGLEY_R2 = 0.995479004577296;

describe('multipleRegression', () => {
  it('reproduces the NIST Longley certified values (ill-conditioned) to 1e-8 relative', () => {
    const y = LONGLEY.map((r) => r[0]);
    const xs = [1, 2, 3, 4, 5, 6].map((j) => LONGLEY.map((r) => r[j]));
    const fit = multipleRegression(y, xs, 16).value!;
    const got = [fit.intercept, ...fit.coefficients];
    got.forEach((b, i) => expect(Math.abs(b / LONGLEY_CERTIFIED[i] - 1)).toBeLessThan(1e-8));
    expect(fit.rSquared).toBeCloseTo(LONGLEY_R2, 10);
    expect(fit.observations).toBe(16);
  });

  it('recovers constructed factor loadings exactly on noiseless data', () => {
    const n = 120;
    const f1 = Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 0.01);
    const f2 = Array.from({ length: n }, (_, i) => Math.cos(i * 1.13) * 0.005);
    const f3 = Array.from({ length: n }, (_, i) => ((i * 7919) % 13) * 0.001 - 0.006);
    const y = f1.map((_, i) => 0.0001 + 1.2 * f1[i] - 0.4 * f2[i] + 0.8 * f3[i]);
    const fit = multipleRegression(y, [f1, f2, f3], 60).value!;
    expect(fit.intercept).toBeCloseTo(0.0001, 12);
    expect(fit.coefficients[0]).toBeCloseTo(1.2, 10);
    expect(fit.coefficients[1]).toBeCloseTo(-0.4, 10);
    expect(fit.coefficients[2]).toBeCloseTo(0.8, 10);
    expect(fit.rSquared).toBeCloseTo(1, 12);
  });

  it('agrees with the simple regression for one regressor', () => {
    const fit = multipleRegression(ANSCOMBE_Y[0], [ANSCOMBE_X], 11).value!;
    const simple = linearRegression(ANSCOMBE_Y[0], ANSCOMBE_X, 11).value!;
    expect(fit.coefficients[0]).toBeCloseTo(simple.beta, 12);
    expect(fit.intercept).toBeCloseTo(simple.alpha, 12);
    expect(fit.rSquared).toBeCloseTo(simple.rSquared, 12);
  });

  it('reports collinear regressors by name instead of throwing or returning NaN', () => {
    const a = Array.from({ length: 80 }, (_, i) => Math.sin(i) * 0.01);
    const b = Array.from({ length: 80 }, (_, i) => Math.cos(i * 2.1) * 0.01);
    const c = a.map((v, i) => 2 * v - 3 * b[i]);
    const y = a.map((v, i) => v + b[i]);
    const r = multipleRegression(y, [a, b, c], 60, ['market', 'size', 'combo']);
    expect(r).toEqual({ value: null, reason: 'regressors are collinear: combo is a linear combination of the others' });
  });

  it('reports a constant regressor and too few rows', () => {
    const a = Array.from({ length: 80 }, (_, i) => Math.sin(i) * 0.01);
    const flat = new Array(80).fill(0.003);
    expect(multipleRegression(a, [a, flat], 60, ['x', 'flat']).reason).toBe('regressor flat has no variance');
    const withGaps = a.map((v, i) => (i % 2 === 0 ? null : v));
    expect(multipleRegression(withGaps, [a], 60).reason).toBe('insufficient data: 40 observations, need 60');
    expect(multipleRegression(a.slice(0, 3), [a.slice(0, 3), a.slice(0, 3).reverse()], 0).reason).toBe(
      'insufficient data: 3 observations, need 4',
    );
  });
});

import { cumulativeReturn, simpleReturns } from './returns';
import { annualizedVolatility, sampleStdDev } from './volatility';

describe('simpleReturns', () => {
  it('computes close-to-close returns, one shorter than the closes', () => {
    const r = simpleReturns([100, 110, 99, 99]);
    expect(r).toHaveLength(3);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBeCloseTo(-0.1, 12);
    expect(r[2]).toBe(0);
  });

  it('gives null next to a missing or non-positive close, never NaN or Infinity', () => {
    expect(simpleReturns([100, null, 102, 0, 5])).toEqual([null, null, -1, null]);
    expect(simpleReturns([])).toEqual([]);
    expect(simpleReturns([42])).toEqual([]);
  });
});

describe('cumulativeReturn', () => {
  it('compounds returns', () => {
    // 1.1 × 0.9 − 1 = −0.01
    expect(cumulativeReturn([0.1, -0.1]).value).toBeCloseTo(-0.01, 12);
    expect(cumulativeReturn([0.1, null, -0.1]).value).toBeCloseTo(-0.01, 12);
  });
  it('is null with a reason on no data', () => {
    expect(cumulativeReturn([])).toEqual({ value: null, reason: 'insufficient data: no returns' });
  });
});

describe('annualizedVolatility', () => {
  it('is the sample std (n − 1) × √252', () => {
    // By hand: mean 0.005, Σd² = 0.0013, /3 → sd 0.0208167, × √252 = 0.3304542
    expect(annualizedVolatility([0.01, -0.02, 0.03, 0], 4).value).toBeCloseTo(0.3304542328371662, 12);
  });

  it('uses only the last `window` returns', () => {
    const rets = [0.5, -0.5, 0.01, -0.02, 0.03, 0];
    expect(annualizedVolatility(rets, 4).value).toBeCloseTo(0.3304542328371662, 12);
  });

  it('is null with a reason when the window is not full', () => {
    expect(annualizedVolatility([0.01, 0.02], 21)).toEqual({
      value: null,
      reason: 'insufficient data: 2 observations, need 21',
    });
    expect(annualizedVolatility([0.01, null, 0.02, 0.03], 4).reason).toBe('insufficient data: 3 observations, need 4');
  });

  it('is zero for a constant series and needs two points for a std', () => {
    expect(annualizedVolatility([0.01, 0.01, 0.01], 3).value).toBeCloseTo(0, 15);
    expect(sampleStdDev([1]).value).toBeNull();
  });
});

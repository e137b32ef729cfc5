import { activeReturns, betaAlpha, captureRatio, excessReturn, informationRatio, trackingError } from './relative';

/** empyrical's fixtures (quantopian/empyrical, empyrical/tests/test_stats.py), in percent. */
const pct = (xs: (number | null)[]) => xs.map((x) => (x === null ? null : x / 100));
const mixedReturns = pct([null, 1, 10, -4, 2, 3, 2, 1, -10]);
const negativeReturns = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
const flatLine1 = new Array(9).fill(0.01);
const zeros = new Array(9).fill(0);

describe('benchmark-relative figures', () => {
  it('information ratio = √252 × empyrical.excess_sharpe', () => {
    // empyrical test_excess_sharpe: (mixed_returns, 0.0) → 0.10859306069076737, (mixed_returns, flat_line_1) → −0.06515583641446039
    expect(informationRatio(activeReturns(mixedReturns, zeros)).value).toBeCloseTo(Math.sqrt(252) * 0.10859306069076737, 10);
    expect(informationRatio(activeReturns(mixedReturns, flatLine1)).value).toBeCloseTo(Math.sqrt(252) * -0.06515583641446039, 10);
  });

  it('tracking error = annualised sample std of active returns (empyrical.annual_volatility(mixed_returns))', () => {
    // shifting by the flat benchmark leaves the std unchanged: empyrical test_annual_volatility → 0.9136465399704637
    expect(trackingError(activeReturns(mixedReturns, flatLine1)).value).toBeCloseTo(0.9136465399704637, 10);
    expect(trackingError([0.01]).value).toBeNull();
    expect(informationRatio(activeReturns(flatLine1, zeros)).reason).toMatch(/no volatility/);
  });

  it('beta and alpha × 252 by daily OLS (empyrical.alpha_beta(mixed_returns, negative_returns[1:]))', () => {
    // empyrical test_alpha_beta: → (−8.306666666666668, −0.71296296296296313); its alpha there is the OLS intercept × 252
    const fit = betaAlpha(mixedReturns, [null, ...negativeReturns.slice(1)], 2).value!;
    expect(fit.beta).toBeCloseTo(-0.71296296296296313, 10);
    expect(fit.alphaAnnualized).toBeCloseTo(-8.306666666666668, 10);
    expect(fit.observations).toBe(8);
    expect(betaAlpha(mixedReturns, mixedReturns, 2).value).toMatchObject({ beta: expect.closeTo(1, 12), alphaAnnualized: expect.closeTo(0, 12) });
    expect(betaAlpha(mixedReturns, negativeReturns, 30).reason).toMatch(/insufficient data: 8 observations, need 30/);
  });

  it('up and down capture over the days the benchmark rose / fell (hand-computed)', () => {
    // up days 0 and 2: (1.02 × 1.03 − 1) / (1.01 × 1.02 − 1) = 0.0506 / 0.0302;
    // down days 1 and 3: (0.99 × 0.97 − 1) / (0.98 × 0.99 − 1) = −0.0397 / −0.0298
    const p = [0.02, -0.01, 0.03, -0.03, 0.05];
    const b = [0.01, -0.02, 0.02, -0.01, 0];
    expect(captureRatio(p, b, 'up').value).toBeCloseTo(1.6754966887417218, 12);
    expect(captureRatio(p, b, 'down').value).toBeCloseTo(1.3322147651006713, 12);
    // identical series capture 1 (empyrical test_capture_ratio (mixed_returns, mixed_returns) → 1)
    expect(captureRatio(mixedReturns, mixedReturns, 'up').value).toBeCloseTo(1, 12);
    expect(captureRatio(p, [0.01, 0.01, 0.01, 0.01, 0.01], 'down')).toEqual({ value: null, reason: 'the benchmark never fell in the range' });
  });

  it('skips days where either series is missing; excess return is arithmetic', () => {
    expect(activeReturns([0.01, null, 0.03], [0.02, 0.01, null])).toEqual([expect.closeTo(-0.01, 15), null, null]);
    expect(excessReturn(0.12, 0.1)).toBeCloseTo(0.02, 15);
  });
});

import { maxDrawdown, maxDrawdownFromReturns, sharpeRatio, sortinoRatio } from './performance';

/**
 * Fixtures and expected values from empyrical's test suite
 * (quantopian/empyrical, empyrical/tests/test_stats.py). empyrical's
 * `mixed_returns` starts with a NaN, which it drops; it is given here as null.
 */
const pct = (xs: (number | null)[]): (number | null)[] => xs.map((x) => (x === null ? null : x / 100));
const simpleBenchmark = pct([0, 1, 0, 1, 0, 1, 0, 1, 0]);
const positiveReturns = pct([1, 2, 1, 1, 1, 1, 1, 1, 1]);
const negativeReturns = pct([0, -6, -7, -1, -9, -2, -6, -8, -5]);
const allNegativeReturns = pct([-2, -6, -7, -1, -9, -2, -6, -8, -5]);
const mixedReturns = pct([null, 1, 10, -4, 2, 3, 2, 1, -10]);
const oneReturn = pct([1]);
const flatLine1 = new Array(9).fill(0.01);

describe('maxDrawdownFromReturns (empyrical.max_drawdown)', () => {
  it.each([
    ['one_return', oneReturn, 0],
    ['simple_benchmark', simpleBenchmark, 0],
    ['mixed_returns', mixedReturns, -0.1],
    ['positive_returns', positiveReturns, 0],
    // "negative returns means the drawdown is just the returns": cum_returns_final
    ['negative_returns', negativeReturns, -0.365907303498736],
    ['all_negative_returns', allNegativeReturns, -0.37858915742876154],
    ['[10, -10, 10]%', pct([10, -10, 10]), -0.1],
  ])('%s', (_name, returns, expected) => {
    expect(maxDrawdownFromReturns(returns).value).toBeCloseTo(expected as number, 12);
  });

  it('is null with a reason on empty returns (empyrical: NaN)', () => {
    expect(maxDrawdownFromReturns([]).value).toBeNull();
  });
});

describe('maxDrawdown on a value series', () => {
  it('is the worst fall from a running peak (hand-checked)', () => {
    // peaks 120 then 130: 90/120 − 1 = −0.25, 65/130 − 1 = −0.5
    expect(maxDrawdown([100, 120, 90, 130, 65]).value).toBeCloseTo(-0.5, 12);
    expect(maxDrawdown([100, 101, 102]).value).toBe(0);
    expect(maxDrawdown([]).value).toBeNull();
    expect(maxDrawdown([-5, -3]).reason).toBe('no positive value to measure a drawdown from');
  });
});

describe('sharpeRatio (empyrical.sharpe_ratio, daily, ×√252)', () => {
  it.each([
    ['mixed_returns', mixedReturns, 1.7238613961706866],
    ['positive_returns', positiveReturns, 52.915026221291804],
    ['negative_returns', negativeReturns, -24.406808633910085],
  ])('%s', (_name, returns, expected) => {
    expect(sharpeRatio(returns).value).toBeCloseTo(expected as number, 10);
  });

  it('is null with a reason where empyrical gives NaN or inf', () => {
    expect(sharpeRatio([]).value).toBeNull();
    expect(sharpeRatio(oneReturn)).toEqual({ value: null, reason: 'insufficient data: 1 returns, need 2' });
    expect(sharpeRatio(flatLine1).reason).toBe('returns have no volatility'); // empyrical: inf
  });

  it('subtracts the annual risk-free rate per day (rate / 252)', () => {
    // empyrical takes a per-period rf; 0.01/day == 2.52/year
    const a = sharpeRatio(mixedReturns, 2.52).value!;
    const shifted = mixedReturns.map((r) => (r === null ? null : r - 0.01));
    expect(a).toBeCloseTo(sharpeRatio(shifted).value!, 10);
  });
});

describe('sortinoRatio (empyrical.sortino_ratio, daily)', () => {
  it.each([
    ['mixed_returns', mixedReturns, 0, 2.605531251673693],
    // required_return = flat_line_1 (1% per day) = 2.52 annual
    ['mixed_returns vs flat_line_1', mixedReturns, 2.52, -1.3934779588919977],
    ['negative_returns', negativeReturns, 0, -13.532743075043401],
  ])('%s', (_name, returns, rf, expected) => {
    expect(sortinoRatio(returns, rf as number).value).toBeCloseTo(expected as number, 10);
  });

  it('is null with a reason where empyrical gives NaN or inf', () => {
    expect(sortinoRatio(oneReturn).value).toBeNull();
    expect(sortinoRatio(positiveReturns).reason).toMatch(/downside deviation is 0/); // empyrical: inf
    expect(sortinoRatio(simpleBenchmark).value).toBeNull(); // empyrical: inf
  });
});

import { asCalendarDate, CalendarDate } from '../common/branded';
import type { CorporateAction } from '../ledger/ledger.types';
import { totalReturns } from '../analytics/math';
import { adjustCloses, adjustForSplits } from './split-adjust';

const d = asCalendarDate;
const DAYS: CalendarDate[] = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'].map(d);
const split = (exDate: string, ratio: number): CorporateAction => ({ symbol: 'X', type: 'SPLIT', exDate: d(exDate), payDate: null, ratio, amount: null });
const dividend = (exDate: string, amount: number): CorporateAction => ({ symbol: 'X', type: 'CASH_DIVIDEND', exDate: d(exDate), payDate: null, ratio: null, amount });
const near = (actual: ArrayLike<number>, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => (Number.isNaN(e) ? expect(actual[i]).toBeNaN() : expect(actual[i]).toBeCloseTo(e, 12)));
};

describe('adjustCloses', () => {
  it('a 2:1 split in the middle of the window leaves no jump and the last close as traded', () => {
    // as traded: 100, 102, then the 2:1 split on 03-05 halves the price
    near(adjustCloses([100, 102, 51.5, 52, 51], DAYS, [split('2025-03-05', 2)]), [50, 51, 51.5, 52, 51]);
  });

  it('a 1:10 reverse split multiplies the earlier closes', () => {
    near(adjustCloses([2, 2.1, 20.5, 21, 20], DAYS, [split('2025-03-05', 0.1)]), [20, 21, 20.5, 21, 20]);
  });

  it('compounds several splits and keeps an unknown close (NaN) unknown', () => {
    // 3:1 on 03-04, 2:1 on 03-05 (whose close is unknown), 2:1 on Saturday 03-08 (after the window: ignored)
    const closes = [300, 100, NaN, 50, 51];
    near(adjustCloses(closes, DAYS, [split('2025-03-04', 3), split('2025-03-05', 2), split('2025-03-08', 2)]), [50, 50, NaN, 50, 51]);
  });

  it('ignores splits on or before the first day and after the last', () => {
    near(adjustCloses([10, 11, 12, 13, 14], DAYS, [split('2025-03-03', 2), split('2025-03-10', 4), dividend('2025-03-05', 1)]), [10, 11, 12, 13, 14]);
  });
});

describe('adjustForSplits', () => {
  it('adjusts only the symbols with a split in the window', () => {
    const untouched = Float64Array.from([1, 2, 3, 4, 5]);
    const matrix = { dates: DAYS, closes: new Map([['X', Float64Array.from([100, 102, 51.5, 52, 51])], ['Y', untouched]]) };
    const out = adjustForSplits(matrix, new Map([['X', [split('2025-03-05', 2)]], ['Y', [split('2025-01-02', 2)]]]));
    near(out.closes.get('X')!, [50, 51, 51.5, 52, 51]);
    expect(out.closes.get('Y')).toBe(untouched);
    expect([...matrix.closes.get('X')!]).toEqual([100, 102, 51.5, 52, 51]); // the input is not changed
  });
});

/** The benchmark's total returns (analytics' `totalReturns`), aligned with the dates: NaN on the first and where unknown. */
const totalReturnSeries = (closes: number[], dates: CalendarDate[], actions: CorporateAction[]): number[] => [
  NaN,
  ...totalReturns(dates, closes, actions).map((r) => r ?? NaN),
];

describe('totalReturnSeries', () => {
  /*
   * Hand-computed with the holding-period return of CRSP's data definitions
   * ("Holding Period Return": (p_t · f_t + d_t) / p_{t−1} − 1, with f_t the
   * price adjustment factor for a split on t), which is the same as
   * (adj_t + div_t) / adj_{t−1} − 1 on split-adjusted closes.
   * As traded: 100, 101 (ex-dividend 1.00 pre-split), 2:1 split on 03-05 → 50,
   * 49.5 (ex-dividend 0.50), 50.25. Adjusted: 50, 50.5, 50, 49.5, 50.25; the
   * pre-split dividend is 0.50 per adjusted share.
   *   r(03-04) = (50.5 + 0.5) / 50 − 1 = 0.02
   *   r(03-05) = 50 / 50.5 − 1 = −0.00990099009901
   *   r(03-06) = (49.5 + 0.5) / 50 − 1 = 0
   *   r(03-07) = 50.25 / 49.5 − 1 = 0.0151515151515
   */
  it('adds dividends back on the ex-date, on split-adjusted closes', () => {
    const actions = [dividend('2025-03-04', 1), split('2025-03-05', 2), dividend('2025-03-06', 0.5)];
    near(totalReturnSeries([100, 101, 50, 49.5, 50.25], DAYS, actions), [NaN, 0.02, 50 / 50.5 - 1, 0, 50.25 / 49.5 - 1]);
    expect(totalReturnSeries([100, 101, 50, 49.5, 50.25], DAYS, actions)[2]).toBeCloseTo(-0.00990099009901, 12);
  });

  it('equals the price return without actions, NaN where a close is unknown, and ignores a dividend on the first day', () => {
    near(totalReturnSeries([10, 11, NaN, 12, 12.6], DAYS, [dividend('2025-03-03', 5)]), [NaN, 0.1, NaN, NaN, 0.05]);
    near(totalReturnSeries([10], DAYS.slice(0, 1), []), [NaN]);
  });
});

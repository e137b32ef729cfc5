import { totalReturns } from './total-return';

describe('totalReturns from closes as traded plus splits and dividends (hand-computed)', () => {
  const dates = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06'];

  it('adjusts a 2:1 split on its ex-date and adds a dividend on its ex-date', () => {
    // 100 → 102: 2%; split 2:1 ex 03-05, close 51.5: 51.5 × 2 / 102 − 1; dividend 0.50 ex 03-06: (52 + 0.5) / 51.5 − 1
    const r = totalReturns(dates, [100, 102, 51.5, 52], [
      { type: 'SPLIT', exDate: '2025-03-05', ratio: 2, amount: null },
      { type: 'CASH_DIVIDEND', exDate: '2025-03-06', ratio: null, amount: 0.5 },
    ]);
    expect(r[0]).toBeCloseTo(0.02, 14);
    expect(r[1]).toBeCloseTo(0.009803921568627416, 14);
    expect(r[2]).toBeCloseTo(0.01941747572815533, 14);
  });

  it('equals the returns of back-adjusted closes (split factor and dividend reinvested)', () => {
    // back-adjusting: closes before the split divided by 2 give the same price returns
    const r = totalReturns(dates, [100, 102, 51.5, 52], [{ type: 'SPLIT', exDate: '2025-03-05', ratio: 2, amount: null }]);
    const adjusted = [50, 51, 51.5, 52];
    for (let i = 0; i < 3; i++) expect(r[i]).toBeCloseTo(adjusted[i + 1] / adjusted[i] - 1, 14);
  });

  it('a dividend on a split ex-date is per share held at the previous close; a gap spans its actions', () => {
    // (50 × 2 + 1) / 100 − 1
    const same = totalReturns(['2025-03-03', '2025-03-04'], [100, 50], [
      { type: 'SPLIT', exDate: '2025-03-04', ratio: 2, amount: null },
      { type: 'CASH_DIVIDEND', exDate: '2025-03-04', ratio: null, amount: 1 },
    ]);
    expect(same[0]).toBeCloseTo(0.01, 14);
    // split on 03-04, dividend 0.25 per new share on 03-05, both inside 03-03 → 03-06: (52 × 2 + 0.25 × 2) / 100 − 1
    const gap = totalReturns(['2025-03-03', '2025-03-06'], [100, 52], [
      { type: 'CASH_DIVIDEND', exDate: '2025-03-05', ratio: null, amount: 0.25 },
      { type: 'SPLIT', exDate: '2025-03-04', ratio: 2, amount: null },
      { type: 'CASH_DIVIDEND', exDate: '2025-03-03', ratio: null, amount: 9 },
    ]);
    expect(gap[0]).toBeCloseTo(0.045, 14);
  });

  it('is null next to a missing close, never 0', () => {
    expect(totalReturns(dates, [100, NaN, 51.5, 52], [])).toEqual([null, null, expect.closeTo(52 / 51.5 - 1, 14)]);
    expect(totalReturns(['2025-03-03'], [100], [])).toEqual([]);
  });
});

import { monthlyReturns } from './monthly';

function days(from: string, n: number, stepDays: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(start + i * stepDays * 86_400_000).toISOString().slice(0, 10));
}

describe('monthlyReturns', () => {
  it('compounds daily returns per calendar month (empyrical.aggregate_returns, MONTHLY)', () => {
    // empyrical test_aggregate_returns: simple_benchmark (daily from 2000-01-30) → [0.01, 0.030301];
    // weekly_returns (weekly from 2000-01-30) → [0.0, 0.0878912, −0.0450046]
    const simple = [0, 1, 0, 1, 0, 1, 0, 1, 0].map((x) => x / 100);
    expect(monthlyReturns(days('2000-01-30', 9, 1), simple, 'skip')).toEqual([
      { month: '2000-01', value: expect.closeTo(0.01, 12) },
      { month: '2000-02', value: expect.closeTo(0.03030099999999991, 12) },
    ]);
    const weekly = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((x) => x / 100);
    expect(monthlyReturns(days('2000-01-30', 9, 7), weekly, 'skip').map((m) => m.value)).toEqual([
      expect.closeTo(0, 12), expect.closeTo(0.087891200000000058, 12), expect.closeTo(-0.04500459999999995, 12),
    ]);
  });

  it("'null' makes a month with an unknown day null with the dates; 'skip' leaves the day out", () => {
    const dates = ['2025-01-30', '2025-01-31', '2025-02-03', '2025-02-04'];
    const r = [0.01, null, 0.02, 0.03];
    expect(monthlyReturns(dates, r, 'null')).toEqual([
      { month: '2025-01', value: null, reason: 'no return on 2025-01-31' },
      { month: '2025-02', value: expect.closeTo(1.02 * 1.03 - 1, 12) },
    ]);
    expect(monthlyReturns(dates, r, 'skip')[0]).toEqual({ month: '2025-01', value: expect.closeTo(0.01, 12) });
    expect(monthlyReturns([], [], 'skip')).toEqual([]);
  });
});

import { periodStart } from './periods';

describe('periodStart (hand-checked calendar)', () => {
  const inception = '2020-01-02';
  const latest = '2025-06-30';
  it.each([
    ['MTD', '2025-06-01'],
    ['QTD', '2025-04-01'],
    ['YTD', '2025-01-01'],
    ['1Y', '2024-07-01'],
    ['3Y', '2022-07-01'],
    ['ITD', '2020-01-02'],
  ] as const)('%s → %s', (period, from) => {
    expect(periodStart(period, inception, latest)).toBe(from);
  });

  it('never starts before inception; 29 February goes back to 28 February', () => {
    expect(periodStart('1Y', '2025-03-14', latest)).toBe('2025-03-14');
    expect(periodStart('3Y', '2024-01-02', latest)).toBe('2024-01-02');
    expect(periodStart('1Y', '2000-01-03', '2024-02-29')).toBe('2023-03-01');
    expect(periodStart('QTD', '2000-01-03', '2024-12-31')).toBe('2024-10-01');
    expect(periodStart('QTD', '2000-01-03', '2024-03-01')).toBe('2024-01-01');
  });
});

import { correlationMatrix } from './math/correlation';
import { fromStoredRisk, toStoredRisk } from './risk-record-storage';

const viaText = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** A record shaped like calculateRisk's, with a matrix from correlationMatrix (gaps, a constant series, a short overlap). */
function record(series: (number | null)[][]): Record<string, unknown> {
  const ids = series.map((_, i) => `p${i}`);
  return {
    version: 1,
    total_value: 1000,
    correlation: { window_days: 90, min_overlap: 3, position_ids: ids, symbols: ids.map((i) => i.toUpperCase()), matrix: correlationMatrix(series, 3) },
    reasons: {},
  };
}

describe('risk record storage', () => {
  const series = [
    [0.01, -0.02, 0.03, 0.005, -0.01, 0.02],
    [0.02, -0.01, 0.01, 0.004, -0.02, 0.01],
    [null, 0.01, -0.03, 0.002, 0.01, null],
    [0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
    [null, null, null, null, 0.02, 0.01],
  ];

  it('stores the correlation matrix as its upper triangle and reads back the matrix computed', () => {
    const computed = record(series);
    const stored = viaText(toStoredRisk(computed)) as { correlation: { upper: unknown[]; matrix?: unknown } };
    expect(stored.correlation.matrix).toBeUndefined();
    expect(stored.correlation.upper).toHaveLength((5 * 4) / 2);
    expect(fromStoredRisk(stored)).toEqual(viaText(computed));
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(computed).length);
  });

  it('keeps a record without positions, without a correlation, or with a matrix not symmetric as it is', () => {
    const empty = record([]);
    expect(fromStoredRisk(viaText(toStoredRisk(empty)))).toEqual(viaText(empty));
    const none = { version: 1, correlation: null };
    expect(toStoredRisk(none)).toBe(none);
    const odd = record(series);
    (odd.correlation as { matrix: number[][] }).matrix[0][1] = 0.5;
    expect(toStoredRisk(odd)).toBe(odd);
    expect(fromStoredRisk(viaText(odd))).toEqual(viaText(odd));
  });
});

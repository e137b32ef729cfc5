import type { PositionId } from '../../common/branded';
import { callOnAAA, input } from '../calculators/decomposition.fixture';
import { calculateRisk } from '../calculators/risk';
import type { RiskPositionInput } from '../calculators/risk-types';
import { correlationMatrix } from '../math/correlation';
import { fromStoredRisk, toStoredRisk } from '.';

/**
 * Deep equality of two JSON-like values, numbers by Object.is (so -0 and 0
 * differ, as a rebuilt number must be the very one computed). Arrays and
 * plain objects compare by content, key order aside.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameValue(ra[k], rb[k]));
}

const viaText = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const size = (v: unknown): number => JSON.stringify(v).length;
type Loose = Record<string, Record<string, unknown>>;

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

describe('risk record storage: correlation', () => {
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
    expect(size(stored)).toBeLessThan(size(computed));
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

describe('risk record storage: decomposition and exposures', () => {
  // long, short, tagged, unclassified, an option on AAA and an empty holding with no price (outside the P&L window)
  const noPrice = { ...input.positions[0], id: 'z' as PositionId, symbol: 'NOPRICE' };
  const computed = calculateRisk({ ...input, positions: [...input.positions, callOnAAA('o'), { ...noPrice, quantity: 0, marketValue: 0 }] });
  // a holding that cannot be priced: listed as unpriced, no decomposition
  const unpriced = calculateRisk({ ...input, positions: [...input.positions, { ...noPrice, marketValue: null }] });

  it('the records have every kind of position (the fixture is what the test claims)', () => {
    const positions = computed.decomposition!.positions;
    expect(positions.find((p) => p.symbol === 'NOPRICE')!.volatility.marginal).toBeNull();
    expect(positions.find((p) => p.symbol === 'AAA_C')!.price_symbol).toBe('AAA');
    expect(computed.decomposition!.by_tag.length).toBeGreaterThan(2);
    expect(unpriced.exposures!.unpriced.map((u) => u.symbol)).toEqual(['NOPRICE']);
    expect(unpriced.decomposition).toBeNull();
  });

  it('reads back the record computed, number for number (Object.is: -0 and the last bit count)', () => {
    for (const r of [computed, unpriced]) {
      const stored = viaText(toStoredRisk(r));
      expect(sameValue(fromStoredRisk(stored), viaText(r))).toBe(true);
      expect(fromStoredRisk(stored)).toEqual(viaText(r));
    }
  });

  it('stores neither the groups nor the derived numbers, in less than half the text', () => {
    const stored = viaText(toStoredRisk(computed)) as Loose;
    expect(stored.decomposition.positions).toBeUndefined();
    expect(stored.decomposition.by_sector).toBeUndefined();
    expect(stored.decomposition.by_tag).toBeUndefined();
    expect(Array.isArray(stored.exposures.totals)).toBe(true);
    expect(size(stored.decomposition)).toBeLessThan(0.5 * size(computed.decomposition));
    expect(size(stored.exposures)).toBeLessThan(0.5 * size(computed.exposures));
  });

  it('reads back the record computed for books of random size, sides, tags, options and empty holdings', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let decomposed = 0;
    const symbols = ['AAA', 'BBB', 'CCC', 'VUG', 'IWM', 'TLT', 'SPY'];
    for (let book = 0; book < 25; book++) {
      const positions: RiskPositionInput[] = symbols.filter(() => rand() < 0.7).map((symbol, i) => {
        const quantity = rand() < 0.1 ? 0 : Math.round((rand() - 0.3) * 500);
        return { ...input.positions[0], id: `p${book}-${i}` as PositionId, symbol, marketValue: null, quantity, positionType: quantity < 0 ? 'SHORT' : 'LONG' };
      });
      if (rand() < 0.5) positions.push({ ...callOnAAA(`o${book}`), marketValue: null });
      const tags = new Map(positions.filter(() => rand() < 0.5).map((p) => [p.id as string, ['core', 'hedge', 'x'].filter(() => rand() < 0.5)]));
      const r = calculateRisk({ ...input, positions, tags });
      if (r.decomposition) decomposed++;
      expect(sameValue(fromStoredRisk(viaText(toStoredRisk(r))), viaText(r))).toBe(true);
    }
    expect(decomposed).toBeGreaterThan(20);
  });

  it('reads a record stored before the compact form, and null sections, as they are', () => {
    const full = viaText(computed);
    expect(fromStoredRisk(full)).toEqual(full);
    const none = calculateRisk({ ...input, positions: [] });
    expect(none.decomposition).toBeNull();
    expect(fromStoredRisk(viaText(toStoredRisk(none)))).toEqual(viaText(none));
  });
});

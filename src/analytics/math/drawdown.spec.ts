import { drawdownPath } from './drawdown';
import { maxDrawdownFromReturns } from './performance';

const pct = (xs: (number | null)[]) => xs.map((x) => (x === null ? null : x / 100));

describe('drawdownPath', () => {
  it.each([
    // empyrical test_max_drawdown fixtures (quantopian/empyrical, tests/test_stats.py)
    ['mixed_returns', pct([null, 1, 10, -4, 2, 3, 2, 1, -10]), -0.1],
    ['negative_returns', pct([0, -6, -7, -1, -9, -2, -6, -8, -5]), -0.365907303498736],
    ['[10, -10, 10]%', pct([10, -10, 10]), -0.1],
  ])('max drawdown of %s matches empyrical.max_drawdown', (_n, returns, expected) => {
    const p = drawdownPath(returns).value!;
    expect(p.episode!.maxDrawdown).toBeCloseTo(expected as number, 12);
    expect(p.episode!.maxDrawdown).toBeCloseTo(maxDrawdownFromReturns(returns).value!, 14);
  });

  it('finds peak, trough and recovery of the worst episode (hand-computed)', () => {
    // index 1.1, 0.88, 0.924, 1.1088, 0.99792: peak day 0, trough day 1 (−20%), back above 1.1 on day 3;
    // the later −10% from 1.1088 is smaller
    const p = drawdownPath([0.1, -0.2, 0.05, 0.2, -0.1]).value!;
    expect(p.episode).toEqual({ maxDrawdown: expect.closeTo(-0.2, 12), peakIndex: 0, troughIndex: 1, recoveryIndex: 3 });
    expect(p.index[4]).toBeCloseTo(0.99792, 12);
    expect(p.drawdown.map((d) => Number(d.toFixed(12)))).toEqual([0, -0.2, -0.16, 0, -0.1]);
  });

  it('reports no recovery, a peak at the start (−1), and no episode without a fall', () => {
    expect(drawdownPath([0.1, -0.2, 0.05]).value!.episode!.recoveryIndex).toBeNull();
    const start = drawdownPath([-0.1, 0.05]).value!.episode!;
    expect(start).toMatchObject({ peakIndex: -1, troughIndex: 0, recoveryIndex: null });
    expect(drawdownPath([0.01, 0.02]).value!.episode).toBeNull();
    expect(drawdownPath([]).value).toBeNull();
  });

  it('carries the level over missing days', () => {
    const p = drawdownPath([0.1, null, -0.1]).value!;
    expect(p.index).toEqual([expect.closeTo(1.1, 12), expect.closeTo(1.1, 12), expect.closeTo(0.99, 12)]);
    expect(p.episode).toMatchObject({ peakIndex: 1, troughIndex: 2 });
  });
});

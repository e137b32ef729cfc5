import { stressPnl } from './stress';

describe('stressPnl', () => {
  it('sums factor dollar exposure × shock', () => {
    // 120,000 × −10% + (−20,000) × 5% = −12,000 − 1,000
    const r = stressPnl({ market: 120_000, growth: -20_000 }, { market: -0.1, growth: 0.05 }, 100_000).value!;
    expect(r.pnl).toBeCloseTo(-13_000, 9);
    expect(r.capped).toBe(false);
  });

  it('never loses more than the portfolio value', () => {
    const r = stressPnl({ market: 600_000 }, { market: -0.2 }, 100_000).value!;
    expect(r.uncappedPnl).toBeCloseTo(-120_000, 9);
    expect(r.pnl).toBe(-100_000);
    expect(r.capped).toBe(true);
  });

  it('does not cap gains nor portfolios with no positive value', () => {
    expect(stressPnl({ market: -600_000 }, { market: -0.2 }, 100_000).value!.pnl).toBeCloseTo(120_000, 9);
    expect(stressPnl({ market: 50_000 }, { market: -0.2 }, -5_000).value!.pnl).toBeCloseTo(-10_000, 9);
  });

  it('needs an exposure for every shocked factor, none for unshocked ones', () => {
    expect(stressPnl({ market: 1 }, { market: -0.1, rates: -0.17 }, 10)).toEqual({
      value: null,
      reason: 'no exposure estimate for factor(s): rates',
    });
    expect(stressPnl({ market: 100, rates: null }, { market: -0.1, rates: 0 }, 1000).value!.pnl).toBeCloseTo(-10, 12);
  });
});

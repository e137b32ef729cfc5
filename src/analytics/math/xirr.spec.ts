import { xirr } from './xirr';

describe('xirr (actual/365)', () => {
  it("Microsoft Excel's XIRR help page example → 0.373362535", () => {
    // Source: Microsoft Support, "XIRR function" (Excel), example: −10000 on 2008-01-01, 2750 on 2008-03-01,
    // 4250 on 2008-10-30, 3250 on 2009-02-15, 2750 on 2009-04-01 → 0.373362535 (37.34%).
    const r = xirr([
      { date: '2008-01-01', amount: -10000 },
      { date: '2008-03-01', amount: 2750 },
      { date: '2008-10-30', amount: 4250 },
      { date: '2009-02-15', amount: 3250 },
      { date: '2009-04-01', amount: 2750 },
    ]);
    expect(r.value).toBeCloseTo(0.373362535, 8);
  });

  it('CFA Institute money-weighted return examples: 13.86% (deposit) and 20.52% (withdrawal)', () => {
    // Source: CFA Institute Level I curriculum (LOS 7.d), the examples of twr.spec.ts; 365-day years, so XIRR is the IRR.
    expect(xirr([
      { date: '2001-01-01', amount: -100 },
      { date: '2002-01-01', amount: -118 },
      { date: '2003-01-01', amount: 264 },
    ]).value).toBeCloseTo(0.1386, 4);
    expect(xirr([
      { date: '2001-01-01', amount: -200 },
      { date: '2002-01-01', amount: 100 },
      { date: '2003-01-01', amount: 170 },
    ]).value).toBeCloseTo(0.2052, 4);
  });

  it('nets flows on one date and is independent of their order', () => {
    const a = xirr([
      { date: '2009-04-01', amount: 2750 },
      { date: '2008-01-01', amount: -6000 },
      { date: '2008-10-30', amount: 4250 },
      { date: '2008-01-01', amount: -4000 },
      { date: '2009-02-15', amount: 3250 },
      { date: '2008-03-01', amount: 2750 },
    ]);
    expect(a.value).toBeCloseTo(0.373362535, 8);
  });

  it('finds very large annualised rates (2× in one day = 2^365 − 1)', () => {
    const r = xirr([
      { date: '2025-01-02', amount: -100 },
      { date: '2025-01-03', amount: 200 },
    ]).value!;
    expect(Math.log1p(r)).toBeCloseTo(365 * Math.log(2), 8);
  });

  it('is null with a reason when there is no sign change, one date only, or no root', () => {
    expect(xirr([{ date: '2025-01-02', amount: -100 }, { date: '2025-02-03', amount: -5 }]))
      .toEqual({ value: null, reason: expect.stringContaining('no sign change') });
    expect(xirr([{ date: '2025-01-02', amount: -100 }, { date: '2025-01-02', amount: 105 }]))
      .toEqual({ value: null, reason: expect.stringContaining('no sign change') });
    expect(xirr([{ date: '2025-01-02', amount: -100 }, { date: '2025-01-02', amount: 50 }, { date: '2025-01-02', amount: 80 }]).value).toBeNull();
    // −100 + 50·v − 100·v² < 0 for every discount factor v > 0: no rate solves it
    expect(xirr([
      { date: '2020-01-01', amount: -100 },
      { date: '2021-01-01', amount: 50 },
      { date: '2022-01-01', amount: -100 },
    ])).toEqual({ value: null, reason: expect.stringContaining('no rate solves') });
    expect(xirr([])).toEqual({ value: null, reason: expect.stringContaining('no sign change') });
  });
});

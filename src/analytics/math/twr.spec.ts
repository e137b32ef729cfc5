import { annualizedReturn, flowNeutralReturn, flowNeutralReturns, timeWeightedReturn } from './twr';

describe('flow-neutral daily returns and TWR', () => {
  it('CFA Institute example with a deposit: sub-period returns 22% and 10%, TWR annualised 15.84%', () => {
    // Source: CFA Institute Level I curriculum, Quantitative Methods, "money-weighted and time-weighted rates of
    // return" (LOS 7.d): one share bought at $100 (t = 0), a second at $120 at t = 1, both sold at $130 at t = 2,
    // $2 dividend per share each year. As flows at the start of each period: period 1 base = the $100 deposit,
    // ends at 120 + 2 = 122; period 2: deposit 118 (120 − the 2 of dividend cash), ends at 2 × 130 + 2 × 2 = 264.
    const r = flowNeutralReturns([122, 264], [100, 118], null);
    expect(r[0]).toBeCloseTo(0.22, 12);
    expect(r[1]).toBeCloseTo(0.1, 12);
    const twr = timeWeightedReturn(r).value!;
    expect(twr).toBeCloseTo(0.342, 12);
    // two 365-day years: (1.22 × 1.10)^(1/2) − 1 = 15.84% as in the curriculum
    expect(annualizedReturn(twr, 730).value).toBeCloseTo(0.1584, 4);
  });

  it('CFA Institute example with a withdrawal: 0% then 70%, TWR annualised 30.38%', () => {
    // Source: CFA Institute Level I practice problem: four shares bought at $50 (t = 0); at t = 1 two are sold at
    // $50 (no dividend); at t = 2 the other two pay $5 each and are sold at $80. Period 2 starts after the $100
    // withdrawal: base 200 − 100, ends at 2 × 80 + 2 × 5 = 170. TWR = [(1.00)(1.70)]^(1/2) − 1 = 30.38%.
    const r = flowNeutralReturns([200, 170], [200, -100], null);
    expect(r).toEqual([0, expect.closeTo(0.7, 12)]);
    expect(annualizedReturn(timeWeightedReturn(r).value!, 730).value).toBeCloseTo(0.3038, 4);
  });

  it('GIPS sub-period method: 1,000,000 → 1,050,000, a 200,000 contribution, 1,350,000 → TWR 13.40%', () => {
    // Illustration of the GIPS true time-weighted method (valuation at each external cash flow, sub-period returns
    // linked geometrically; GIPS Guidance Statement on Calculation Methodology): r1 = 5.00%, r2 = 8.00%,
    // TWR = 1.05 × 1.08 − 1 = 13.40%.
    const r = flowNeutralReturns([1_050_000, 1_350_000], [0, 200_000], 1_000_000);
    expect(r[0]).toBeCloseTo(0.05, 12);
    expect(r[1]).toBeCloseTo(0.08, 12);
    expect(timeWeightedReturn(r).value).toBeCloseTo(0.134, 12);
  });

  it('the first day without flows, or a base ≤ 0, has no return (null with a reason), never 0', () => {
    expect(flowNeutralReturn(null, 100, 0)).toEqual({ value: null, reason: expect.stringContaining('no invested base') });
    expect(flowNeutralReturn(50, 10, -50).value).toBeNull();
    expect(flowNeutralReturns([100, 110], [0, 0], null)).toEqual([null, expect.closeTo(0.1, 12)]);
  });

  it('annualises only ranges of at least 365 days', () => {
    expect(annualizedReturn(0.1, 364)).toEqual({ value: null, reason: expect.stringContaining('shorter than 365') });
    expect(annualizedReturn(0.1, 365).value).toBeCloseTo(0.1, 12);
    // (1.21)^(365/730) − 1 = 10%
    expect(annualizedReturn(0.21, 730).value).toBeCloseTo(0.1, 12);
    expect(annualizedReturn(-1, 800).value).toBeNull();
  });
});

import { flowNeutralReturns, timeWeightedReturn } from './twr';
import { xirr } from './xirr';
import { mulberry32 as prng } from '../../market-data/providers/synthetic-random';

/** A book whose holdings earn `market[d]` each day, with external flows at the start of the day. */
function simulate(market: number[], flows: number[], start: number | null): number[] {
  const values: number[] = [];
  let v = start ?? 0;
  for (let d = 0; d < market.length; d++) {
    v = (v + flows[d]) * (1 + market[d]);
    values.push(v);
  }
  return values;
}

describe('properties of TWR and XIRR (seeded random cases)', () => {
  const rand = prng(20260512);
  const cases = Array.from({ length: 200 }, () => {
    const n = 2 + Math.floor(rand() * 60);
    const market = Array.from({ length: n }, () => (rand() - 0.5) * 0.06);
    const flows = Array.from({ length: n }, (_, d) => (d === 0 ? 1000 + rand() * 9000 : rand() < 0.2 ? (rand() - 0.3) * 2000 : 0));
    return { market, flows };
  });

  it('TWR equals the holdings return Π(1 + m) − 1 whatever the deposits and withdrawals (flow-neutral scaling)', () => {
    for (const { market, flows } of cases) {
      const values = simulate(market, flows, null);
      if (values.some((v, d) => (d ? values[d - 1] : 0) + flows[d] <= 0)) continue; // a withdrawal of more than the book
      const twr = timeWeightedReturn(flowNeutralReturns(values, flows, null)).value!;
      const holdings = market.reduce((g, m) => g * (1 + m), 1) - 1;
      expect(twr).toBeCloseTo(holdings, 10);
      // a deposit at the start of one day scales every later value but leaves TWR unchanged
      const day = Math.floor(rand() * market.length);
      const more = flows.map((f, d) => (d === day ? f + 5000 : f));
      const twr2 = timeWeightedReturn(flowNeutralReturns(simulate(market, more, null), more, null)).value!;
      expect(twr2).toBeCloseTo(twr, 10);
    }
  });

  it('TWR is unchanged by a deposit that is withdrawn the same day (net flow 0)', () => {
    for (const { market, flows } of cases) {
      const day = Math.floor(rand() * market.length);
      const deposit = 1 + rand() * 1e6;
      // the day's transactions: the usual flow, +deposit, −deposit; the day's F_d is their net
      const dayTransactions = flows.map((f, d) => (d === day ? [f, deposit, -deposit] : [f]));
      const net = dayTransactions.map((ts) => ts.reduce((s, t) => s + t, 0));
      const values = simulate(market, flows, null);
      const base = timeWeightedReturn(flowNeutralReturns(values, flows, null));
      const withRoundTrip = timeWeightedReturn(flowNeutralReturns(simulate(market, net, null), net, null));
      if (base.value === null) expect(withRoundTrip.value).toBeNull();
      else expect(withRoundTrip.value).toBeCloseTo(base.value, 9);
    }
  });

  it('XIRR of a single-period flow equals the simple annualised return (B/A)^(365/days) − 1', () => {
    for (let k = 0; k < 300; k++) {
      const a = 1 + rand() * 1e6;
      const b = a * (0.2 + rand() * 2);
      const days = 1 + Math.floor(rand() * 3000);
      const end = new Date(Date.UTC(2020, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
      const r = xirr([{ date: '2020-01-01', amount: -a }, { date: end, amount: b }]).value!;
      const expected = Math.pow(b / a, 365 / days) - 1;
      expect(Math.log1p(r)).toBeCloseTo(Math.log1p(expected), 9);
    }
  });
});

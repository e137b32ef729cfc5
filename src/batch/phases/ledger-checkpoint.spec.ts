import { asPortfolioId, CalendarDate } from '../../common/branded';
import { decodeCheckpoint, encodeCheckpoint, PreviousSnapshot, StoredSnapshot } from '../../analytics/snapshot.store';
import { replayLedger } from '../../ledger/engine';
import { d, LedgerBuilder, LiteralFacts } from '../../ledger/engine/fixtures.spec-helper';
import type { CostBasisMethod, MarketFacts, PortfolioLedger } from '../../ledger/ledger.types';
import { pendingDividends, resumeFromSnapshot } from './ledger-checkpoint';
import { deriveSnapshots } from './ledger-days';

/**
 * Resuming from a stored snapshot must book exactly what a replay from the
 * first transaction books: the same books as ledger-days.spec, cut at a
 * stored day, with shorts, options, AVERAGE cost and a split after the cut.
 */
const settings = { riskFreeRate: 0.02, defaultImpliedVolatility: 0.3 };
const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24'];
const close = (symbol: string, day: CalendarDate) => {
  const i = days.indexOf(day);
  if (i < 0) return null;
  return symbol === 'AAPL' ? 100 + i : symbol === 'MSFT' ? (day >= '2026-11-23' ? 150 : 300) - i : null;
};

function book(method: CostBasisMethod): PortfolioLedger {
  const b = new LedgerBuilder(method);
  const aapl = b.stock('AAPL');
  const msft = b.stock('MSFT', 'SHORT');
  const call = b.option('AAPL', 'CALL', true, 95, '2027-01-15');
  b.cash('DEPOSIT', '2026-11-14', 50000);
  b.add('BUY', '2026-11-16', aapl, { quantity: 50, price: 100, fees: 2 });
  b.add('SELL_SHORT', '2026-11-16', msft, { quantity: 10, price: 300, fees: 1 });
  b.add('BUY', '2026-11-17', aapl, { quantity: 30, price: 101, fees: 2 });
  b.add('BUY', '2026-11-18', call, { quantity: 2, price: 7, fees: 1 });
  b.add('SELL', '2026-11-19', aapl, { quantity: 60, price: 103, fees: 1 });
  b.add('BUY_TO_COVER', '2026-11-20', msft, { quantity: 4, price: 296, fees: 1 });
  b.add('SELL', '2026-11-23', aapl, { quantity: 10, price: 105 });
  return b.build();
}

// MSFT (short) owes a dividend from 11-17 to 11-19 with no trade between; AAPL's is owed 11-19..11-23 but AAPL sells on 11-19
const facts = () => new LiteralFacts().split('MSFT', '2026-11-23', 2).dividend('MSFT', '2026-11-17', 1.5, '2026-11-19').dividend('AAPL', '2026-11-19', 0.4, '2026-11-23');
const derive = (ledger: PortfolioLedger, f: MarketFacts, start: string, previous: PreviousSnapshot | null, end = '2026-11-24') =>
  deriveSnapshots({ portfolioId: asPortfolioId('00000000-0000-4000-8000-0000000000aa'), ledger, facts: f, replay: replayLedger, start: d(start), end: d(end), previous, close, settings });

/**
 * What latestBefore reads back for a run that ended on `row`'s day: its
 * checkpoint (the lots at that close) through the stored text form.
 */
function storedState(method: CostBasisMethod, row: StoredSnapshot): PreviousSnapshot {
  const run = derive(book(method), facts(), '2026-11-16', null, row.snapshot_date);
  if (!run.ok) throw new Error(run.error);
  const marketValues = new Map(row.positions.map((p) => [p.position_id, p.market_value]));
  const decoded = decodeCheckpoint(encodeCheckpoint(marketValues, run.lots));
  expect(decoded.marketValues).toEqual(marketValues);
  return {
    date: row.snapshot_date, totalValue: row.total_value, cumulativePnl: row.cumulative_pnl, cumulativeRealizedPnl: row.cumulative_realized_pnl, cash: row.cash_balance,
    marketValues: decoded.marketValues, lots: decoded.lots, lotTexts: decoded.lotTexts,
  };
}

/** The transactions after `date` only, as the tail reader reads them. */
const tailOf = (l: PortfolioLedger, date: string): PortfolioLedger => ({ ...l, transactions: l.transactions.filter((t) => t.date > date) });

describe('resumeFromSnapshot', () => {
  for (const method of ['FIFO', 'AVERAGE'] as const) {
    it(`${method}: resuming from any stored day books the same days as one replay from the start`, () => {
      const whole = derive(book(method), facts(), '2026-11-16', null);
      if (!whole.ok) throw new Error(whole.error);
      let withPending = 0;
      for (let cut = 0; cut < whole.rows.length - 1; cut++) {
        const stored = storedState(method, whole.rows[cut]);
        const tail = tailOf(book(method), stored.date);
        const pending = pendingDividends(tail, stored, facts())!;
        const traded = pending.some((p) => book(method).transactions.some((t) => t.positionId === p.positionId && t.date >= p.exDate && t.date <= stored.date));
        const resumed = resumeFromSnapshot(tail, stored, facts(), traded);
        if (traded) {
          expect(resumed).toBeNull();
          continue;
        }
        if (pending.length) withPending++;
        const rest = derive(resumed!.ledger, resumed!.facts, days[cut + 1], stored);
        if (!rest.ok) throw new Error(rest.error);
        // the next checkpoint, reusing the unchanged holdings' text, is the one written from scratch
        const values = new Map(rest.rows[rest.rows.length - 1].positions.map((p) => [p.position_id, p.market_value]));
        expect(encodeCheckpoint(values, rest.lots, stored)).toBe(encodeCheckpoint(values, rest.lots));
        const expected = whole.rows.slice(cut + 1);
        expect(rest.rows.map((r) => r.snapshot_date)).toEqual(expected.map((r) => r.snapshot_date));
        rest.rows.forEach((r, i) => {
          for (const [k, v] of Object.entries(expected[i])) if (typeof v === 'number') expect([k, (r as any)[k]]).toEqual([k, expect.closeTo(v, 9)]);
          expect(r.positions.map((p) => [p.symbol, p.quantity])).toEqual(expected[i].positions.map((p) => [p.symbol, p.quantity]));
        });
      }
      expect(withPending).toBeGreaterThan(0);
    });
  }

  it('replays from the start instead when no lots were stored, a holding owed a dividend traded since its ex-date, or split after it', () => {
    const whole = derive(book('FIFO'), facts(), '2026-11-16', null);
    if (!whole.ok) throw new Error(whole.error);
    const stored = storedState('FIFO', whole.rows[2]); // 11-18
    const tail = tailOf(book('FIFO'), stored.date);
    expect(resumeFromSnapshot(tail, { ...stored, lots: null }, facts(), false)).toBeNull();
    expect(resumeFromSnapshot(tail, stored, facts(), true)).toBeNull();
    expect(pendingDividends(tail, stored, facts())!.map((p) => p.exDate)).toEqual(['2026-11-17']);
    expect(pendingDividends(tail, stored, facts().split('MSFT', '2026-11-18', 3))).toBeNull();
    // the AAPL call (opened 11-18) held across a split of AAPL: its strike changed in the replay only
    const later = storedState('FIFO', whole.rows[4]); // 11-20
    expect(resumeFromSnapshot(tailOf(book('FIFO'), later.date), later, facts().split('AAPL', '2026-11-19', 2), false)).toBeNull();
    expect(resumeFromSnapshot(tailOf(book('FIFO'), later.date), later, facts().split('AAPL', '2026-11-18', 2), false)).not.toBeNull();
  });
});

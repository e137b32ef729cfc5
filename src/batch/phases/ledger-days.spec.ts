import { previousDayStateOf } from '../../analytics/calculators';
import { asPortfolioId, CalendarDate } from '../../common/branded';
import { replayLedger } from '../../ledger/engine';
import { d, LedgerBuilder, LiteralFacts } from '../../ledger/engine/fixtures.spec-helper';
import type { PortfolioLedger } from '../../ledger/ledger.types';
import { deriveSnapshots, planDerivation } from './ledger-days';

const settings = { riskFreeRate: 0, defaultImpliedVolatility: 0.3 };
const closes: Record<string, number> = {
  '2026-11-16': 100, '2026-11-17': 102, '2026-11-18': 101, '2026-11-19': 105, '2026-11-20': 104, '2026-11-23': 106,
};
const close = (symbol: string, day: CalendarDate) => (symbol === 'AAPL' ? closes[day] ?? null : null);

/** Deposit on a Saturday (booked with Monday), a buy, a partial sell, a fee. */
function ledger(): PortfolioLedger {
  const b = new LedgerBuilder();
  const aapl = b.stock('AAPL');
  b.cash('DEPOSIT', '2026-11-14', 10000);
  b.add('BUY', '2026-11-16', aapl, { quantity: 50, price: 100, fees: 2 });
  b.add('SELL', '2026-11-19', aapl, { quantity: 20, price: 105, fees: 1 });
  b.cash('FEE', '2026-11-21', 5);
  return b.build();
}

const derive = (l: PortfolioLedger, start: string, end: string, previous: Parameters<typeof deriveSnapshots>[0]['previous'] = null) =>
  deriveSnapshots({ portfolioId: asPortfolioId('00000000-0000-4000-8000-0000000000aa'), ledger: l, facts: new LiteralFacts(), replay: replayLedger, start: d(start), end: d(end), previous, close, settings });

describe('planDerivation', () => {
  it('starts on the first trading day on or after the first transaction when there is no snapshot', () => {
    expect(planDerivation(ledger(), undefined, d('2026-11-23'), 1300)).toEqual({ ok: true, start: '2026-11-16', previous: null });
  });

  it('starts the trading day after the latest usable snapshot', () => {
    const previous = { date: d('2026-11-20'), totalValue: 1, cumulativePnl: 0, cumulativeRealizedPnl: 0, marketValues: new Map() };
    expect(planDerivation(ledger(), previous, d('2026-11-24'), 1300)).toMatchObject({ ok: true, start: '2026-11-23' });
  });

  it('an empty ledger (or one starting later) computes the date alone', () => {
    expect(planDerivation(new LedgerBuilder().build(), undefined, d('2026-11-23'), 1300)).toMatchObject({ ok: true, start: '2026-11-23' });
    expect(planDerivation(ledger(), undefined, d('2026-11-13'), 1300)).toMatchObject({ ok: true, start: '2026-11-13' });
  });

  it('fails a portfolio needing more than LEDGER_MAX_RECOMPUTE_DAYS trading days', () => {
    const plan = planDerivation(ledger(), undefined, d('2026-11-23'), 3);
    expect(plan).toMatchObject({ ok: false });
    expect(plan.ok ? '' : plan.error).toMatch(/from 2026-11-16 .*LEDGER_MAX_RECOMPUTE_DAYS \(3\)/);
  });
});

describe('deriveSnapshots', () => {
  it('books every trading day, and resuming from a stored day gives the same rows as one pass', () => {
    const whole = derive(ledger(), '2026-11-16', '2026-11-23');
    if (!whole.ok) throw new Error(whole.error);
    expect(whole.rows.map((r) => r.snapshot_date)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-23']);
    // Monday: the Saturday deposit is the day's flow; 50 × 100 + 2 paid, valued at 100: P&L −2
    expect(whole.rows[0]).toMatchObject({ net_flows: 10000, total_value: 9998, daily_pnl: -2, fees: 2 });
    // the Saturday fee is booked on Monday 11-23
    expect(whole.rows[5]).toMatchObject({ fees: 5 });
    const first = derive(ledger(), '2026-11-16', '2026-11-18');
    if (!first.ok) throw new Error(first.error);
    const last = first.rows[first.rows.length - 1];
    const rest = derive(ledger(), '2026-11-19', '2026-11-23', { date: d('2026-11-18'), ...previousDayStateOf(last, last.positions) });
    if (!rest.ok) throw new Error(rest.error);
    expect([...first.rows, ...rest.rows]).toEqual(whole.rows);
  });

  it('a missing close fails the portfolio, naming the symbol and date', () => {
    const r = derive(ledger(), '2026-11-16', '2026-11-24');
    expect(r).toMatchObject({ ok: false, error: 'no close for AAPL on 2026-11-24 (missing price: AAPL on 2026-11-24)' });
  });

  it('a ledger error fails the portfolio with the engine\'s reason', () => {
    const b = new LedgerBuilder();
    const aapl = b.stock('AAPL');
    b.cash('DEPOSIT', '2026-11-16', 1000);
    b.add('SELL', '2026-11-17', aapl, { quantity: 5, price: 100 });
    const r = derive(b.build(), '2026-11-16', '2026-11-18');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/^ledger: /);
  });
});

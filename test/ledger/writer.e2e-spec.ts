import type { CalendarDate, PortfolioId } from '../../src/common/branded';
import { replayLedger } from '../../src/ledger/engine';
import { LedgerFactsLoader } from '../../src/ledger/ledger-facts.loader';
import { todayUtc } from '../../src/ledger/ledger-replay.service';
import { LedgerWriter } from '../../src/ledger/ledger.writer';
import { PortfolioLedgerReader } from '../../src/ledger/portfolio-ledger.reader';
import { CorporateActionStore } from '../../src/market-data/corporate-action.store';
import { MarketDataService } from '../../src/market-data/market-data.service';
import { sql } from '../helpers/batch-helpers';
import { signUp, startTestApp, TestApp } from '../helpers/test-app';
import { deposit, ledgerClient, trade } from './ledger-helpers';

const d = (s: string) => s as CalendarDate;

/** The readers and writers the batch uses, on the real database. */
describe('ledger readers and writers (e2e)', () => {
  let t: TestApp;
  let c: ReturnType<typeof ledgerClient>;
  beforeAll(async () => {
    t = await startTestApp();
    c = ledgerClient(t, (await signUp(t)).token);
  });
  afterAll(() => t.close());

  /** A deep in-the-money call (strike 1) bought on 2025-03-03 and expiring 2025-06-20, with the underlying's closes stored. */
  async function callBook(): Promise<PortfolioId> {
    const pid = (await c.newPortfolio()) as PortfolioId;
    await c.post(pid, deposit('2025-01-02', 10_000)).expect(201);
    await c.post(pid, { type: 'BUY', date: '2025-03-03', symbol: 'AAPL250620C00001000', quantity: 2, price: 5, option_type: 'CALL',
      underlying_symbol: 'AAPL', strike_price: 1, expiration_date: '2025-06-20' }).expect(201);
    await t.app.get(MarketDataService).ensurePrices(['AAPL'], d('2025-06-10'), d('2025-06-20'));
    return pid;
  }

  async function generated(pid: PortfolioId) {
    const ledgers = await t.app.get(PortfolioLedgerReader).load([pid]);
    const facts = await t.app.get(LedgerFactsLoader).load([...ledgers.values()], todayUtc());
    return replayLedger(ledgers.get(pid)!, facts).advanceTo(todayUtc()).generated;
  }

  it('replaceSystemTransactions stores the replay’s exercise with its share leg, idempotently', async () => {
    const pid = await callBook();
    const gen = await generated(pid);
    expect(gen.map((g) => g.type).sort()).toEqual(['BUY', 'EXERCISE']);
    const writer = t.app.get(LedgerWriter);
    await writer.replaceSystemTransactions([{ portfolioId: pid, from: d('2025-01-01'), generated: gen }]);
    await writer.replaceSystemTransactions([{ portfolioId: pid, from: d('2025-06-01'), generated: gen }]);
    const system = (await c.list(pid, '?limit=100').expect(200)).body.transactions.filter((x: { source: string }) => x.source === 'system');
    expect(system.map((x: Record<string, unknown>) => [x.type, x.date, x.symbol, x.quantity])).toEqual(expect.arrayContaining([
      ['EXERCISE', '2025-06-20', 'AAPL250620C00001000', 2],
      ['BUY', '2025-06-20', 'AAPL', 200],
    ]));
    expect(system).toHaveLength(2);
    // the stored system transactions are ignored by the replay, which regenerates them: the book is unchanged
    const positions = (await c.positions(pid).expect(200)).body;
    const leg = system.find((x: { type: string }) => x.type === 'BUY');
    // the engine opens the delivered shares at the exercise-day close (strike + intrinsic value)
    expect(positions.map((p: Record<string, unknown>) => [p.id, p.symbol, p.quantity, p.entry_price])).toEqual([[leg.position_id, 'AAPL', 200, leg.price]]);
    await c.patch(pid, system[0].id, { note: 'x' }).expect(409);
    await writer.replaceSystemTransactions([{ portfolioId: pid, from: d('2025-01-01'), generated: [] }]);
    expect((await sql(t, `SELECT count(*)::int AS n FROM transactions WHERE portfolio_id = $1 AND source = 'system'`, [pid]))[0].n).toBe(0);
  });

  it('PortfolioLedgerReader reads many portfolios at once; LedgerFactsLoader gives the closes the replay asks for', async () => {
    const pid = await callBook();
    const empty = (await c.newPortfolio()) as PortfolioId;
    const ledgers = await t.app.get(PortfolioLedgerReader).load([pid, empty]);
    expect(ledgers.get(empty)).toMatchObject({ transactions: [], inceptionDate: null, costBasisMethod: 'FIFO' });
    const ledger = ledgers.get(pid)!;
    expect(ledger.inceptionDate).toBe('2025-01-02');
    expect(ledger.transactions.map((x) => x.type)).toEqual(['DEPOSIT', 'BUY']);
    expect([...ledger.holdings.values()]).toEqual([expect.objectContaining({ positionType: 'LC', optionType: 'CALL', strikePrice: 1, expirationDate: '2025-06-20' })]);
    const facts = await t.app.get(LedgerFactsLoader).load([ledger], todayUtc());
    expect(facts.close('AAPL', d('2025-06-20'))).toEqual(expect.any(Number));
    // a symbol the replay does not price has no close
    expect(facts.close('MSFT', d('2025-06-20'))).toBeNull();
  });

  it('clearStale clears only a marker on or before upTo that was not moved since it was read', async () => {
    const pid = await callBook();
    const writer = t.app.get(LedgerWriter);
    await sql(t, `UPDATE portfolios SET ledger_stale_from = '2025-03-03' WHERE id = $1`, [pid]);
    const marker = async () => (await sql(t, `SELECT to_char(ledger_stale_from, 'YYYY-MM-DD') AS s FROM portfolios WHERE id = $1`, [pid]))[0].s;
    expect(await writer.clearStale([pid], d('2025-02-01'))).toBe(0);
    expect(await writer.clearStale([pid], d('2025-12-31'), new Map([[pid, d('2025-04-01')]]))).toBe(0);
    expect(await marker()).toBe('2025-03-03');
    expect(await writer.clearStale([pid], d('2025-12-31'), new Map([[pid, d('2025-03-03')]]))).toBe(1);
    expect(await marker()).toBeNull();
    await sql(t, `UPDATE portfolios SET ledger_stale_from = '2025-03-03' WHERE id = $1`, [pid]);
    expect(await writer.clearStale([pid], d('2025-03-03'))).toBe(1);
  });

  it('stored splits reach the replay; a ledger a later split breaks answers 409 with the reason', async () => {
    const pid = (await c.newPortfolio()) as PortfolioId;
    await c.post(pid, trade('BUY', '2025-01-06', 'SPLT', 10, 100)).expect(201);
    await c.post(pid, trade('SELL', '2025-03-03', 'SPLT', 8, 110)).expect(201);
    const actions = t.app.get(CorporateActionStore);
    await actions.upsert([{ symbol: 'SPLT', type: 'SPLIT', exDate: d('2025-02-03'), payDate: null, ratio: 2, amount: null, source: 'test' }]);
    // 2-for-1: 20 shares at 50, 8 sold
    expect((await c.lots(pid).expect(200)).body).toEqual([expect.objectContaining({ quantity: 12, cost_per_unit: 50 })]);
    await actions.upsert([{ symbol: 'SPLT', type: 'SPLIT', exDate: d('2025-02-03'), payDate: null, ratio: 0.5, amount: null, source: 'test' }]);
    expect((await c.lots(pid).expect(409)).body.detail).toMatch(/cannot be replayed: .*shortfall 3/);
    expect((await c.portfolio(pid).expect(200)).body.id).toBe(pid);
  });
});

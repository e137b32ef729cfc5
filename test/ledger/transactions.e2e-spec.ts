import { randomUUID } from 'node:crypto';
import { sql } from '../helpers/batch-helpers';
import { signUp, startTestApp, TestApp } from '../helpers/test-app';
import { daysFromToday, deposit, ledgerClient, trade } from './ledger-helpers';

const stale = async (t: TestApp, pid: string) => (await sql(t, `SELECT to_char(ledger_stale_from, 'YYYY-MM-DD') AS d FROM portfolios WHERE id = $1`, [pid]))[0].d;
const count = async (t: TestApp, pid: string) => (await sql(t, `SELECT count(*)::int AS n FROM transactions WHERE portfolio_id = $1`, [pid]))[0].n;

describe('transactions (e2e)', () => {
  let t: TestApp;
  let c: ReturnType<typeof ledgerClient>;
  let bob: ReturnType<typeof ledgerClient>;
  beforeAll(async () => {
    t = await startTestApp();
    c = ledgerClient(t, (await signUp(t)).token);
    bob = ledgerClient(t, (await signUp(t)).token);
  });
  afterAll(() => t.close());

  /** 10 AAPL bought on 2025-01-06 and 10 on 2025-02-03, 15 sold on 2025-03-03. */
  async function book(): Promise<{ pid: string; buy1: string; buy2: string; sell: string }> {
    const pid = await c.newPortfolio();
    await c.post(pid, deposit('2025-01-02', 10_000)).expect(201);
    const buy1 = (await c.post(pid, trade('BUY', '2025-01-06', 'AAPL', 10, 100)).expect(201)).body.id;
    const buy2 = (await c.post(pid, trade('BUY', '2025-02-03', 'AAPL', 10, 120)).expect(201)).body.id;
    const sell = (await c.post(pid, trade('SELL', '2025-03-03', 'AAPL', 15, 130)).expect(201)).body.id;
    return { pid, buy1, buy2, sell };
  }

  describe('POST /portfolio/:id/transactions', () => {
    it('201 with the transaction view', async () => {
      const pid = await c.newPortfolio();
      const res = await c.post(pid, { ...trade('BUY', '2025-01-06', 'msft', 3, 400.5, 1.25), note: 'first buy' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/), portfolio_id: pid, position_id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'BUY', date: '2025-01-06',
        symbol: 'MSFT', quantity: 3, price: 400.5, fees: 1.25, amount: null, ratio: null, note: 'first buy', source: 'user', position_type: 'LONG', option_type: null,
        underlying_symbol: null, strike_price: null, expiration_date: null, implied_volatility: null, created_at: expect.any(String),
      });
      expect((await c.post(pid, deposit('2025-01-02', 500)).expect(201)).body).toMatchObject({ type: 'DEPOSIT', amount: 500, symbol: null, position_id: null, fees: 0 });
    });

    it('400 for a date in the future, nothing stored', async () => {
      const pid = await c.newPortfolio();
      const res = await c.post(pid, deposit(daysFromToday(1), 100)).expect(400);
      expect(res.body.errors).toEqual([{ field: 'date', message: expect.stringContaining('future') }]);
      expect(await count(t, pid)).toBe(0);
    });

    it('400 naming the shortfall when selling more than is held, nothing stored', async () => {
      const { pid } = await book();
      const res = await c.post(pid, trade('SELL', '2025-03-04', 'AAPL', 20, 130)).expect(400);
      expect(res.body.detail).toMatch(/5 held, shortfall 15/);
      expect(res.body.shortfall).toBe(15);
      expect(await count(t, pid)).toBe(4);
      // selling what was never bought: the whole quantity is short
      expect((await c.post(pid, trade('SELL', '2025-03-04', 'IBM', 3, 10)).expect(400)).body.detail).toMatch(/shortfall 3 \(use SELL_SHORT/);
    });

    it('400 for a trade on a symbol with no price on or before its date, nothing stored', async () => {
      const pid = await c.newPortfolio();
      // the synthetic provider's prices start on 2000-01-03
      const res = await c.post(pid, trade('BUY', '1999-06-01', 'AAPL', 1, 10)).expect(400);
      expect(res.body.errors).toEqual([{ field: 'date', message: expect.stringContaining('AAPL has no price on or before 1999-06-01') }]);
      expect(await count(t, pid)).toBe(0);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown type', { type: 'GIFT', date: '2025-01-02', amount: 1 }, 'type'],
      ['SPLIT (written by the batch)', { type: 'SPLIT', date: '2025-01-02', symbol: 'AAPL', quantity: 1 }, 'type'],
      ['EXPIRE (written by the batch)', { type: 'EXPIRE', date: '2025-01-02', symbol: 'AAPL', quantity: 1 }, 'type'],
      ['a malformed date', deposit('2025-02-30', 1), 'date'],
      ['a deposit without amount', { type: 'DEPOSIT', date: '2025-01-02' }, 'amount'],
      ['a deposit with a symbol', { ...deposit('2025-01-02', 1), symbol: 'AAPL' }, 'symbol'],
      ['a buy without price', { type: 'BUY', date: '2025-01-06', symbol: 'AAPL', quantity: 1 }, 'price'],
      ['a buy with a negative quantity', trade('BUY', '2025-01-06', 'AAPL', -1, 10), 'quantity'],
      ['a buy with an amount', { ...trade('BUY', '2025-01-06', 'AAPL', 1, 10), amount: 5 }, 'amount'],
      ['negative fees', trade('BUY', '2025-01-06', 'AAPL', 1, 10, -1), 'fees'],
      ['a quantity that rounds to 0', trade('BUY', '2025-01-06', 'AAPL', 1e-7, 10), 'quantity'],
      ['a price too large for numeric(20,6)', trade('BUY', '2025-01-06', 'AAPL', 1, 1e15), 'price'],
      ['EXERCISE on a stock', { type: 'EXERCISE', date: '2025-01-06', symbol: 'AAPL', quantity: 1 }, 'type'],
      ['a new option without its terms', { ...trade('BUY', '2025-01-06', 'AAPL291221C00200000', 1, 10), option_type: 'CALL' }, 'underlying_symbol'],
      ['an unknown field', { ...deposit('2025-01-02', 1), memo: 'x' }, 'memo'],
    ])('400 for %s', async (_case, body, field) => {
      const pid = await c.newPortfolio();
      const res = await c.post(pid, body).expect(400);
      expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await count(t, pid)).toBe(0);
    });

    it("404 on another user's portfolio; 400 for a malformed id", async () => {
      const pid = await c.newPortfolio();
      expect((await bob.post(pid, deposit('2025-01-02', 1)).expect(404)).body).toEqual({ status_code: 404, error: 'Not Found', detail: 'Portfolio not found' });
      await c.post('nope', deposit('2025-01-02', 1)).expect(400);
      expect(await count(t, pid)).toBe(0);
    });
  });

  describe('GET /portfolio/:id/transactions', () => {
    it('filters by date, symbol and type and pages with limit and offset', async () => {
      const { pid } = await book();
      const all = (await c.list(pid).expect(200)).body;
      expect(all.total).toBe(4);
      expect(all.transactions.map((x: { type: string }) => x.type)).toEqual(['DEPOSIT', 'BUY', 'BUY', 'SELL']);
      expect((await c.list(pid, '?symbol=aapl&type=buy').expect(200)).body.total).toBe(2);
      const feb = (await c.list(pid, '?from=2025-02-01&to=2025-03-31').expect(200)).body;
      expect(feb.transactions.map((x: { date: string }) => x.date)).toEqual(['2025-02-03', '2025-03-03']);
      const page = (await c.list(pid, '?limit=1&offset=1').expect(200)).body;
      expect(page).toMatchObject({ total: 4, transactions: [expect.objectContaining({ type: 'BUY', date: '2025-01-06' })] });
      await c.list(pid, '?limit=0').expect(400);
      await c.list(pid, '?type=GIFT').expect(400);
      await bob.list(pid).expect(404);
    });
  });

  describe('PATCH and DELETE /portfolio/:id/transactions/:txId', () => {
    it('PATCH changes the fields sent and re-checks the merged transaction', async () => {
      const { pid, buy2 } = await book();
      const res = await c.patch(pid, buy2, { price: 118, fees: 2, note: 'corrected' }).expect(200);
      expect(res.body).toMatchObject({ id: buy2, type: 'BUY', date: '2025-02-03', symbol: 'AAPL', quantity: 10, price: 118, fees: 2, note: 'corrected' });
      await c.patch(pid, buy2, { date: daysFromToday(3) }).expect(400);
      await c.patch(pid, buy2, { amount: 5 }).expect(400);
      expect((await c.list(pid, '?type=BUY').expect(200)).body.transactions[1]).toMatchObject({ price: 118, date: '2025-02-03' });
    });

    it('400 with the reason for an edit or a delete that would leave a lot negative; nothing changes', async () => {
      const { pid, buy1, buy2 } = await book();
      const edit = await c.patch(pid, buy2, { quantity: 4 }).expect(400);
      expect(edit.body.detail).toMatch(/SELL 15 AAPL on 2025-03-03: 14 held, shortfall 1/);
      expect((await c.del(pid, buy1).expect(400)).body.detail).toMatch(/shortfall 5/);
      // moving the second buy after the sell leaves the sell short too
      expect((await c.patch(pid, buy2, { date: '2025-03-10' }).expect(400)).body.shortfall).toBe(5);
      expect((await c.lots(pid).expect(200)).body).toEqual([expect.objectContaining({ quantity: 5, opened_at: '2025-02-03' })]);
    });

    it('DELETE → 204, then 404; a malformed id → 400; another user → 404', async () => {
      const { pid, sell } = await book();
      await bob.del(pid, sell).expect(404);
      await c.del(pid, sell).expect(204);
      await c.del(pid, sell).expect(404);
      await c.patch(pid, randomUUID(), { note: 'x' }).expect(404);
      await c.del(pid, 'not-a-uuid').expect(400);
      expect((await c.lots(pid).expect(200)).body.reduce((s: number, l: { quantity: number }) => s + l.quantity, 0)).toBe(20);
    });

    it('system transactions are listed with source "system" and are read-only (409)', async () => {
      const { pid } = await book();
      const [row] = await sql(t, `INSERT INTO transactions (portfolio_id, type, trade_date, amount, note, source, system_key)
        VALUES ($1, 'DIVIDEND', '2025-02-14', 2.5, 'AAPL dividend', 'system', 'DIVIDEND|test') RETURNING id`, [pid]);
      const listed = (await c.list(pid, '?type=DIVIDEND').expect(200)).body.transactions;
      expect(listed).toEqual([expect.objectContaining({ id: row.id, source: 'system', amount: 2.5 })]);
      expect((await c.patch(pid, row.id, { note: 'mine' }).expect(409)).body.detail).toMatch(/read-only/);
      await c.del(pid, row.id).expect(409);
    });
  });

  describe('stale marker', () => {
    it('a back-dated write marks snapshots stale from its date; an edit from the earlier of its old and new dates', async () => {
      const { pid, sell } = await book();
      await sql(t, `UPDATE portfolios SET ledger_stale_from = NULL WHERE id = $1`, [pid]);
      await c.post(pid, deposit('2025-02-10', 100)).expect(201);
      expect(await stale(t, pid)).toBe('2025-02-10');
      await c.patch(pid, sell, { date: '2025-03-05' }).expect(200);
      expect(await stale(t, pid)).toBe('2025-02-10');
      await sql(t, `UPDATE portfolios SET ledger_stale_from = NULL WHERE id = $1`, [pid]);
      await c.patch(pid, sell, { date: '2025-02-20' }).expect(200);
      expect(await stale(t, pid)).toBe('2025-02-20');
      await c.del(pid, sell).expect(204);
      expect(await stale(t, pid)).toBe('2025-02-20');
      await c.post(pid, deposit('2025-01-03', 1)).expect(201);
      expect(await stale(t, pid)).toBe('2025-01-03');
    });

    it('the position routes mark it too; a refused write does not', async () => {
      const pid = await c.newPortfolio();
      const pos = { symbol: 'NVDA', quantity: 5, entry_price: 480, entry_date: '2024-05-01' };
      await bob.addPosition(pid, pos).expect(404);
      expect(await stale(t, pid)).toBeNull();
      await c.addPosition(pid, pos).expect(201);
      expect(await stale(t, pid)).toBe('2024-05-01');
      await sql(t, `UPDATE portfolios SET ledger_stale_from = NULL WHERE id = $1`, [pid]);
      await c.post(pid, trade('SELL', '2024-04-01', 'NVDA', 1, 400)).expect(400);
      expect(await stale(t, pid)).toBeNull();
    });
  });

  describe('cash_balance on the portfolio', () => {
    it('POST writes a DEPOSIT today; PATCH writes the difference to the derived cash', async () => {
      const today = daysFromToday(0);
      const pid = await c.newPortfolio({ cash_balance: 5000 });
      expect((await c.list(pid).expect(200)).body.transactions).toEqual([expect.objectContaining({ type: 'DEPOSIT', date: today, amount: 5000 })]);
      await c.post(pid, deposit('2025-01-02', 1000)).expect(201);
      expect((await c.portfolio(pid).expect(200)).body.cash_balance).toBe(6000);
      const patched = await c.patchPortfolio(pid, { cash_balance: 4000 }).expect(200);
      expect(patched.body.cash_balance).toBe(4000);
      const flows = (await c.list(pid, `?from=${today}`).expect(200)).body.transactions;
      expect(flows).toEqual([expect.objectContaining({ type: 'DEPOSIT', amount: 5000 }), expect.objectContaining({ type: 'WITHDRAWAL', date: today, amount: 2000 })]);
      await c.patchPortfolio(pid, { cash_balance: 4000 }).expect(200);
      expect((await c.list(pid).expect(200)).body.total).toBe(3);
      expect((await c.patchPortfolio(pid, { cost_basis_method: 'AVERAGE' }).expect(200)).body.cost_basis_method).toBe('AVERAGE');
      await c.patchPortfolio(pid, { cost_basis_method: 'LIFO' }).expect(400);
    });
  });
});

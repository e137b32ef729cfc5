import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Body, expectErrorShape, isoDaysFromToday, longCall, shortPut, shortStock, stock } from './fixtures/positions';
import { API, bearer, signUp, startTestApp, TestApp } from './helpers/test-app';

type User = { token: string; id: string };

describe('positions (e2e)', () => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  let portfolio: string;
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([signUp(t), signUp(t)]);
    portfolio = (await request(t.http).post(`${API}/portfolio`).set(bearer(alice.token)).send({ name: 'Book' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  const url = (pid: string, posId?: string) => `${API}/portfolio/${pid}/positions${posId ? `/${posId}` : ''}`;
  const add = (body: Body | string, u = alice, pid = portfolio) => {
    const req = request(t.http).post(url(pid)).set(bearer(u.token));
    return typeof body === 'string' ? req.set('content-type', 'application/json').send(body) : req.send(body);
  };
  const patch = (posId: string, body: Body, u = alice, pid = portfolio) => request(t.http).patch(url(pid, posId)).set(bearer(u.token)).send(body);
  const fields = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

  describe('POST /portfolio/:id/positions', () => {
    it('201 for a long stock: symbol upper-cased, type LONG inferred, multiplier 1', async () => {
      const res = await add(stock({ symbol: ' aapl ' })).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        portfolio_id: portfolio,
        symbol: 'AAPL',
        quantity: 100,
        entry_price: 187.5,
        entry_date: '2024-03-01',
        position_type: 'LONG',
        underlying_symbol: null,
        strike_price: null,
        expiration_date: null,
        implied_volatility: null,
        multiplier: 1,
        // ledger (DESIGN §8): a position shows its open lots' cost basis
        cost_basis: 18750,
        tags: [],
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it('201 for a short stock: type SHORT inferred from the negative quantity', async () => {
      expect((await add(shortStock()).expect(201)).body).toMatchObject({ symbol: 'TSLA', quantity: -50, position_type: 'SHORT' });
    });

    it('201 for a long call and a short put, multiplier 100', async () => {
      const call = (await add(longCall()).expect(201)).body;
      expect(call).toMatchObject({ position_type: 'LC', underlying_symbol: 'AAPL', strike_price: 200, expiration_date: '2027-06-17', implied_volatility: 0.28, multiplier: 100 });
      const put = (await add(shortPut()).expect(201)).body;
      expect(put).toMatchObject({ position_type: 'SP', quantity: -3, strike_price: 450, implied_volatility: null, multiplier: 100 });
    });

    it('accepts boundary values: entry today, 12-character symbol with . and -, IV of exactly 5', async () => {
      await add(stock({ entry_date: isoDaysFromToday(0) })).expect(201);
      await add(stock({ symbol: 'BRK.B-ABCDEF' })).expect(201);
      await add(longCall({ implied_volatility: 5 })).expect(201);
    });

    it.each<[string, Body | string, string]>([
      ['a symbol with a space', stock({ symbol: 'AA PL' }), 'symbol'],
      ['a symbol with $', stock({ symbol: '$AAPL' }), 'symbol'],
      ['a stock symbol over 12 characters', stock({ symbol: 'ABCDEFGHIJKLM' }), 'symbol'],
      ['an option symbol over 21 characters', longCall({ symbol: 'AAPL270617C002000000000' }), 'symbol'],
      ['no symbol', { quantity: 1, entry_price: 1, entry_date: '2024-01-02' }, 'symbol'],
      ['a zero quantity', stock({ quantity: 0 }), 'quantity'],
      ['a quantity given as a string', stock({ quantity: '100' }), 'quantity'],
      ['no quantity', { symbol: 'AAPL', entry_price: 1, entry_date: '2024-01-02' }, 'quantity'],
      ['an infinite quantity (1e400 in JSON)', '{"symbol":"AAPL","quantity":1e400,"entry_price":1,"entry_date":"2024-01-02"}', 'quantity'],
      ['a zero entry_price', stock({ entry_price: 0 }), 'entry_price'],
      ['a negative entry_price', stock({ entry_price: -1.5 }), 'entry_price'],
      ['an entry_date with month 13', stock({ entry_date: '2024-13-01' }), 'entry_date'],
      ['an entry_date of February 30', stock({ entry_date: '2024-02-30' }), 'entry_date'],
      ['a US-style entry_date', stock({ entry_date: '03/01/2024' }), 'entry_date'],
      ['an entry_date with a time', stock({ entry_date: '2024-03-01T10:00:00Z' }), 'entry_date'],
      ['an entry_date in the future', stock({ entry_date: isoDaysFromToday(1) }), 'entry_date'],
      ['an unknown position_type', stock({ position_type: 'CALL' }), 'position_type'],
      ['an option without underlying_symbol', longCall({ underlying_symbol: undefined }), 'underlying_symbol'],
      ['an option with a malformed underlying_symbol', longCall({ underlying_symbol: 'AA PL' }), 'underlying_symbol'],
      ['an option without strike_price', longCall({ strike_price: undefined }), 'strike_price'],
      ['an option with a zero strike_price', longCall({ strike_price: 0 }), 'strike_price'],
      ['an option without expiration_date', shortPut({ expiration_date: undefined }), 'expiration_date'],
      ['an option with a malformed expiration_date', longCall({ expiration_date: '2027-06-31' }), 'expiration_date'],
      ['an option expiring on its entry date', longCall({ expiration_date: '2025-01-15' }), 'expiration_date'],
      ['an option expiring before its entry date', longCall({ expiration_date: '2024-12-20' }), 'expiration_date'],
      ['a stock with underlying_symbol', stock({ underlying_symbol: 'AAPL' }), 'underlying_symbol'],
      ['a stock with strike_price', stock({ strike_price: 200 }), 'strike_price'],
      ['a stock with expiration_date', stock({ expiration_date: '2027-06-17' }), 'expiration_date'],
      ['LONG with a negative quantity', stock({ position_type: 'LONG', quantity: -10 }), 'quantity'],
      ['SHORT with a positive quantity', shortStock({ position_type: 'SHORT', quantity: 10 }), 'quantity'],
      ['LC with a negative quantity', longCall({ quantity: -1 }), 'quantity'],
      ['SC with a positive quantity', longCall({ position_type: 'SC', quantity: 1 }), 'quantity'],
      ['LP with a negative quantity', shortPut({ position_type: 'LP', quantity: -1 }), 'quantity'],
      ['SP with a positive quantity', shortPut({ quantity: 3 }), 'quantity'],
      ['a zero implied_volatility', longCall({ implied_volatility: 0 }), 'implied_volatility'],
      ['a negative implied_volatility', longCall({ implied_volatility: -0.2 }), 'implied_volatility'],
      ['an implied_volatility over 5', longCall({ implied_volatility: 5.01 }), 'implied_volatility'],
      ['an unknown field', stock({ notes: 'hi' }), 'notes'],
    ])('400 for %s', async (_case, body, field) => {
      const res = await add(body).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.error).toBe('Bad Request');
      expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    });

    it('reports every broken rule at once', async () => {
      const res = await add({ symbol: 'BAD SYMBOL', quantity: 0, entry_price: -1, entry_date: '2024-99-99' }).expect(400);
      expect(fields(res.body).sort()).toEqual(['entry_date', 'entry_price', 'quantity', 'symbol']);
      expect(res.body.detail).toContain('symbol:');
    });

    it("404 on another user's portfolio and on an unknown one; 400 for a malformed id", async () => {
      const res = await add(stock(), bob).expect(404);
      expect(res.body).toEqual({ status_code: 404, error: 'Not Found', detail: 'Portfolio not found' });
      await add(stock(), alice, randomUUID()).expect(404);
      await add(stock(), alice, 'nope').expect(400);
    });
  });

  describe('GET /portfolio/:id/positions', () => {
    it('200 with the positions sorted by symbol; 404 for another user', async () => {
      const pid = (await request(t.http).post(`${API}/portfolio`).set(bearer(alice.token)).send({ name: 'Listed' }).expect(201)).body.id;
      for (const body of [stock({ symbol: 'MSFT' }), shortStock(), longCall()]) await add(body, alice, pid).expect(201);
      const res = await request(t.http).get(url(pid)).set(bearer(alice.token)).expect(200);
      expect(res.body.map((p: { symbol: string }) => p.symbol)).toEqual(['AAPL270617C00200000', 'MSFT', 'TSLA']);
      const other = await request(t.http).get(url(pid)).set(bearer(bob.token)).expect(404);
      expect(other.body.detail).toBe('Portfolio not found');
    });
  });

  describe('PATCH /portfolio/:id/positions/:positionId', () => {
    it('changes only the fields sent', async () => {
      const pos = (await add(stock({ symbol: 'NVDA', entry_price: 480 })).expect(201)).body;
      const res = await patch(pos.id, { quantity: 250 }).expect(200);
      expect(res.body).toMatchObject({ id: pos.id, symbol: 'NVDA', quantity: 250, entry_price: 480, entry_date: '2024-03-01', position_type: 'LONG' });
    });

    it('re-checks the rules on the merged position and leaves it unchanged on 400', async () => {
      const pos = (await add(stock({ symbol: 'AMD' })).expect(201)).body;
      expect(fields((await patch(pos.id, { quantity: -5 }).expect(400)).body)).toContain('quantity');
      expect(fields((await patch(pos.id, { entry_date: isoDaysFromToday(2) }).expect(400)).body)).toContain('entry_date');
      expect(fields((await patch(pos.id, { position_type: 'SHORT' }).expect(400)).body)).toContain('quantity');
      expect(fields((await patch(pos.id, { strike_price: 100 }).expect(400)).body)).toContain('strike_price');
      expect(fields((await patch(pos.id, { comment: 'x' }).expect(400)).body)).toContain('comment');
      const list = (await request(t.http).get(url(portfolio)).set(bearer(alice.token)).expect(200)).body;
      expect(list.find((p: { id: string }) => p.id === pos.id)).toMatchObject({ quantity: 100, position_type: 'LONG', entry_date: '2024-03-01' });
      const flipped = await patch(pos.id, { position_type: 'SHORT', quantity: -100 }).expect(200);
      expect(flipped.body).toMatchObject({ position_type: 'SHORT', quantity: -100 });
    });

    it('clears an option field with null, and turns an option into a stock only when its option fields are cleared', async () => {
      // ledger (DESIGN §8): holdings are unique per (symbol, type) and a holding changes identity only while a single
      // TRANSFER_IN opened it, so the conversion runs on a fresh portfolio (the shared one already holds AAPL LONG: 409)
      const pid = (await request(t.http).post(`${API}/portfolio`).set(bearer(alice.token)).send({ name: 'Convert' }).expect(201)).body.id;
      const call = (await add(longCall(), alice, pid).expect(201)).body;
      expect((await patch(call.id, { implied_volatility: null }, alice, pid).expect(200)).body.implied_volatility).toBeNull();
      await patch(call.id, { position_type: 'LONG', symbol: 'AAPL' }, alice, pid).expect(400);
      const clear = { position_type: 'LONG', symbol: 'AAPL', underlying_symbol: null, strike_price: null, expiration_date: null };
      const shared = (await add(longCall()).expect(201)).body;
      expect((await patch(shared.id, clear).expect(409)).body.detail).toMatch(/transactions/);
      const res = await patch(call.id, clear, alice, pid).expect(200);
      expect(res.body).toMatchObject({ position_type: 'LONG', symbol: 'AAPL', underlying_symbol: null, strike_price: null, expiration_date: null, multiplier: 1 });
    });

    it("404 for another user's position, whichever portfolio id is used; 400 for a malformed id", async () => {
      const pos = (await add(stock({ symbol: 'META' })).expect(201)).body;
      const bobs = (await request(t.http).post(`${API}/portfolio`).set(bearer(bob.token)).send({ name: 'Bob' }).expect(201)).body.id;
      expect((await patch(pos.id, { quantity: 1 }, bob).expect(404)).body.detail).toBe('Portfolio not found');
      expect((await patch(pos.id, { quantity: 1 }, bob, bobs).expect(404)).body).toEqual({ status_code: 404, error: 'Not Found', detail: 'Position not found' });
      await patch(randomUUID(), { quantity: 1 }).expect(404);
      await patch('not-a-uuid', { quantity: 1 }).expect(400);
      const list = (await request(t.http).get(url(portfolio)).set(bearer(alice.token)).expect(200)).body;
      expect(list.find((p: { id: string }) => p.id === pos.id).quantity).toBe(100);
    });

    it('404 for a position of another portfolio of the same user', async () => {
      const pos = (await add(stock({ symbol: 'ORCL' })).expect(201)).body;
      const second = (await request(t.http).post(`${API}/portfolio`).set(bearer(alice.token)).send({ name: 'Second' }).expect(201)).body.id;
      await patch(pos.id, { quantity: 1 }, alice, second).expect(404);
    });
  });

  describe('DELETE /portfolio/:id/positions/:positionId', () => {
    it('204 for the owner; the position is gone', async () => {
      const pos = (await add(stock({ symbol: 'INTC' })).expect(201)).body;
      await request(t.http).delete(url(portfolio, pos.id)).set(bearer(alice.token)).expect(204);
      const list = (await request(t.http).get(url(portfolio)).set(bearer(alice.token)).expect(200)).body;
      expect(list.some((p: { id: string }) => p.id === pos.id)).toBe(false);
      await request(t.http).delete(url(portfolio, pos.id)).set(bearer(alice.token)).expect(404);
    });

    it("404 for another user's position, which stays", async () => {
      const pos = (await add(stock({ symbol: 'IBM' })).expect(201)).body;
      const res = await request(t.http).delete(url(portfolio, pos.id)).set(bearer(bob.token)).expect(404);
      expectErrorShape(res.body, 404);
      const list = (await request(t.http).get(url(portfolio)).set(bearer(alice.token)).expect(200)).body;
      expect(list.some((p: { id: string }) => p.id === pos.id)).toBe(true);
      await request(t.http).delete(url(portfolio, 'bad-id')).set(bearer(alice.token)).expect(400);
    });
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { expectErrorShape, expectNoSecrets, stock } from './fixtures/positions';
import { API, bearer, signUp, startTestApp, TestApp } from './helpers/test-app';

type User = { token: string; id: string };

describe('portfolios CRUD (e2e)', () => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([signUp(t), signUp(t)]);
  });
  afterAll(() => t.close());

  const create = (u: User, body: object) => request(t.http).post(`${API}/portfolio`).set(bearer(u.token)).send(body);
  const get = (u: User, id: string) => request(t.http).get(`${API}/portfolio/${id}`).set(bearer(u.token));
  const patch = (u: User, id: string, body: object) => request(t.http).patch(`${API}/portfolio/${id}`).set(bearer(u.token)).send(body);
  const del = (u: User, id: string) => request(t.http).delete(`${API}/portfolio/${id}`).set(bearer(u.token));
  const notFound = { status_code: 404, error: 'Not Found', detail: 'Portfolio not found' };

  describe('POST /portfolio', () => {
    it('201 with defaults currency USD and cash_balance 0', async () => {
      const res = await create(alice, { name: 'Core equity' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Core equity',
        currency: 'USD',
        cash_balance: 0,
        position_count: 0,
        // ledger (DESIGN §8): the lot-matching method is part of the view
        cost_basis_method: 'FIFO',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expectNoSecrets(res.body);
    });

    it('201 with currency and cash_balance given', async () => {
      const res = await create(alice, { name: 'Euro book', currency: 'EUR', cash_balance: 12500.5 }).expect(201);
      expect(res.body).toMatchObject({ name: 'Euro book', currency: 'EUR', cash_balance: 12500.5 });
    });

    it.each([
      ['no name', {}, 'name'],
      ['an empty name', { name: '' }, 'name'],
      ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
      ['a lower-case currency', { name: 'P', currency: 'usd' }, 'currency'],
      ['a 4-letter currency', { name: 'P', currency: 'USDT' }, 'currency'],
      ['a cash_balance that is a string', { name: 'P', cash_balance: '100' }, 'cash_balance'],
      ['an unknown field', { name: 'P', owner_id: randomUUID() }, 'owner_id'],
    ])('400 for %s, with errors [{field, message}]', async (_case, body, field) => {
      const res = await create(alice, body).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    });

    it('401 without a token', async () => {
      const res = await request(t.http).post(`${API}/portfolio`).send({ name: 'Anon' }).expect(401);
      expectErrorShape(res.body, 401);
    });
  });

  describe('GET /portfolio', () => {
    it("lists only the caller's portfolios, with position counts", async () => {
      const carol = await signUp(t);
      const dave = await signUp(t);
      const p1 = (await create(carol, { name: 'One' }).expect(201)).body;
      await create(carol, { name: 'Two' }).expect(201);
      await create(dave, { name: 'Dave only' }).expect(201);
      await request(t.http).post(`${API}/portfolio/${p1.id}/positions`).set(bearer(carol.token)).send(stock()).expect(201);

      const res = await request(t.http).get(`${API}/portfolio`).set(bearer(carol.token)).expect(200);
      expect(res.body.map((p: { name: string }) => p.name)).toEqual(['One', 'Two']);
      expect(res.body.map((p: { position_count: number }) => p.position_count)).toEqual([1, 0]);
      const empty = await request(t.http).get(`${API}/portfolio`).set(bearer((await signUp(t)).token)).expect(200);
      expect(empty.body).toEqual([]);
    });
  });

  describe('GET /portfolio/:id', () => {
    let id: string;
    beforeAll(async () => {
      id = (await create(alice, { name: 'Mine' }).expect(201)).body.id;
    });

    it('200 for the owner', async () => {
      expect((await get(alice, id).expect(200)).body).toMatchObject({ id, name: 'Mine', currency: 'USD' });
    });

    it("404 for another user's portfolio, indistinguishable from an unknown id", async () => {
      expect((await get(bob, id).expect(404)).body).toEqual(notFound);
      expect((await get(alice, randomUUID()).expect(404)).body).toEqual(notFound);
    });

    it('400 for a malformed uuid', async () => {
      const res = await get(alice, 'not-a-uuid').expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.detail).toMatch(/uuid/i);
    });
  });

  describe('PATCH /portfolio/:id', () => {
    let id: string;
    beforeAll(async () => {
      id = (await create(alice, { name: 'Before', currency: 'USD', cash_balance: 100 }).expect(201)).body.id;
    });

    it('200 and changes only the fields sent', async () => {
      const res = await patch(alice, id, { name: 'After' }).expect(200);
      expect(res.body).toMatchObject({ id, name: 'After', currency: 'USD', cash_balance: 100 });
      const res2 = await patch(alice, id, { currency: 'GBP', cash_balance: -250.25 }).expect(200);
      expect(res2.body).toMatchObject({ name: 'After', currency: 'GBP', cash_balance: -250.25 });
      expect((await get(alice, id).expect(200)).body).toMatchObject({ name: 'After', currency: 'GBP', cash_balance: -250.25 });
    });

    it.each([
      ['an empty name', { name: '' }, 'name'],
      ['a bad currency', { currency: 'dollars' }, 'currency'],
      ['a non-numeric cash_balance', { cash_balance: 'lots' }, 'cash_balance'],
      ['an unknown field', { user_id: randomUUID() }, 'user_id'],
    ])('400 for %s', async (_case, body, field) => {
      const res = await patch(alice, id, body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it("404 for another user's portfolio and leaves it unchanged", async () => {
      expect((await patch(bob, id, { name: 'Hijacked' }).expect(404)).body).toEqual(notFound);
      expect((await get(alice, id).expect(200)).body.name).not.toBe('Hijacked');
    });

    it('404 for an unknown id, 400 for a malformed one', async () => {
      await patch(alice, randomUUID(), { name: 'X' }).expect(404);
      await patch(alice, '123', { name: 'X' }).expect(400);
    });
  });

  describe('DELETE /portfolio/:id', () => {
    it("404 for another user's portfolio, which stays", async () => {
      const id = (await create(alice, { name: 'Keep' }).expect(201)).body.id;
      expect((await del(bob, id).expect(404)).body).toEqual(notFound);
      await get(alice, id).expect(200);
    });

    it('204 for the owner; the portfolio and its positions are gone', async () => {
      const id = (await create(alice, { name: 'Doomed' }).expect(201)).body.id;
      await request(t.http).post(`${API}/portfolio/${id}/positions`).set(bearer(alice.token)).send(stock()).expect(201);
      const res = await del(alice, id).expect(204);
      expect(res.text).toBe('');
      await get(alice, id).expect(404);
      await request(t.http).get(`${API}/portfolio/${id}/positions`).set(bearer(alice.token)).expect(404);
      const [{ n }] = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM positions WHERE portfolio_id = $1', [id]);
      expect(n).toBe(0);
    });

    it('404 for an unknown id (and a second delete), 400 for a malformed one', async () => {
      const id = (await create(alice, { name: 'Twice' }).expect(201)).body.id;
      await del(alice, id).expect(204);
      await del(alice, id).expect(404);
      await del(alice, 'zzz').expect(400);
    });
  });
});

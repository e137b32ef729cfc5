import request from 'supertest';
import { expectErrorShape, longCall, stock } from './fixtures/positions';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

/**
 * Issue 10 item 3, "input limits before work": hostile or mistaken input gets
 * a clean 400 with the error shape, and nothing is stored.
 */
describe('input limits (e2e)', () => {
  let t: TestApp;
  let user: { token: string };
  let admin: { token: string };
  let portfolio: string;

  beforeAll(async () => {
    t = await startTestApp();
    [user, admin] = await Promise.all([signUp(t), signUpAdmin(t)]);
    portfolio = (await request(t.http).post(`${API}/portfolio`).set(bearer(user.token)).send({ name: 'Book' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  const json = (path: string, body: string, token?: string) => {
    const r = request(t.http).post(`${API}${path}`).set('content-type', 'application/json');
    return (token ? r.set(bearer(token)) : r).send(body);
  };
  const positionCount = async () => (await request(t.http).get(`${API}/portfolio/${portfolio}/positions`).set(bearer(user.token)).expect(200)).body.length;

  describe('JSON shape limits on the body parser', () => {
    it.each([1_400, 40_000])('%d nested brackets on the unauthenticated login route: 400 "JSON nested too deeply"', async (depth) => {
      const res = await json('/auth/login', `${'['.repeat(depth)}${']'.repeat(depth)}`);
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 400);
      expect(res.body.detail).toBe('JSON nested too deeply');
    });

    it('nested objects count too, and brackets inside strings do not', async () => {
      const deep = `${'{"a":'.repeat(1_400)}1${'}'.repeat(1_400)}`;
      expect((await json('/auth/login', deep)).body.detail).toBe('JSON nested too deeply');
      const inString = JSON.stringify({ email: 'x@example.com', password: '['.repeat(100) });
      expect((await json('/auth/login', inString)).status).toBe(401);
    });

    it('an array longer than the limit: 400', async () => {
      const res = await json('/auth/login', JSON.stringify({ email: 'x@example.com', password: 'p', x: new Array(20_001).fill(0) }));
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/JSON array too long/);
    });
  });

  describe('numbers checked against their numeric(20,6) columns, JSON and CSV alike', () => {
    it.each([
      ['strike_price', longCall({ strike_price: 1e-7 }), /rounds to 0/],
      ['quantity', stock({ quantity: 1e-7 }), /rounds to 0/],
      ['entry_price', stock({ entry_price: 2e-7 }), /rounds to 0/],
      ['quantity', stock({ quantity: 1e14 }), /less than 1e\+?14/],
      ['entry_price', stock({ entry_price: 1e300 }), /less than 1e\+?14/],
      ['implied_volatility', longCall({ implied_volatility: 1e-9 }), /rounds to 0/],
    ])('JSON %s out of its column: 400, nothing stored', async (field, body, message) => {
      const before = await positionCount();
      const res = await request(t.http).post(`${API}/portfolio/${portfolio}/positions`).set(bearer(user.token)).send(body);
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 400);
      expect(res.body.errors).toContainEqual({ field, message: expect.stringMatching(message) });
      expect(await positionCount()).toBe(before);
    });

    it('JSON numbers in plain decimal and scientific notation are accepted', async () => {
      const res = await json(`/portfolio/${portfolio}/positions`, '{"symbol":"AAPL","quantity":1e2,"entry_price":187.500000,"entry_date":"2024-03-01"}', user.token);
      expect(res.status).toBe(201);
      expect(res.body.quantity).toBe(100);
    });

    it('cash_balance beyond its column: 400', async () => {
      const res = await request(t.http).post(`${API}/portfolio`).set(bearer(user.token)).send({ name: 'Big', cash_balance: 1e15 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field: 'cash_balance', message: expect.stringMatching(/less than 1e\+?14/) });
    });

    const importCsv = (csv: string) =>
      request(t.http).post(`${API}/portfolio/${portfolio}/import`).set(bearer(user.token)).set('content-type', 'text/csv').send(csv);

    it('the same rule in a CSV import: strike 1e-7 and a quantity of 1e14 are row errors', async () => {
      const before = await positionCount();
      const csv = [
        'symbol,quantity,entry_price,entry_date,position_type,underlying_symbol,strike_price,expiration_date',
        'AAPL270617C00200000,2,12.4,2025-01-15,LC,AAPL,0.0000001,2027-06-17',
        'MSFT,100000000000000,10,2024-01-02,,,,',
      ].join('\n');
      const res = await importCsv(csv);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ row: 1, column: 'strike_price', message: expect.stringMatching(/rounds to 0/) }),
          expect.objectContaining({ row: 2, column: 'quantity', message: expect.stringMatching(/less than 1e\+?14/) }),
        ]),
      );
      expect(await positionCount()).toBe(before);
    });

    it.each(['0x10', '0b11', '0o7', 'Infinity', '-Infinity', 'NaN', '+5', '1_000', '5.', ' 1e', '١٠'])('CSV cell %p is not a number: 400', async (cell) => {
      const res = await importCsv(`symbol,quantity,entry_price,entry_date\nAAPL,${cell},10,2024-01-02\n`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ row: 1, column: 'quantity' }));
    });

    it('CSV cells in plain decimal and scientific notation are accepted', async () => {
      // replace: the holdings of earlier tests in this file would sum with these rows
      const res = await request(t.http).post(`${API}/portfolio/${portfolio}/import?mode=replace`).set(bearer(user.token)).set('content-type', 'text/csv')
        .send('symbol,quantity,entry_price,entry_date\nAAPL,1e2,187.5,2024-01-02\nMSFT,-0.5,1.5E1,2024-01-02\n');
      expect(res.status).toBe(201);
      expect(res.body.positions.map((p: { quantity: number; entry_price: number }) => [p.quantity, p.entry_price])).toEqual([
        [100, 187.5],
        [-0.5, 15],
      ]);
    });
  });

  describe('control characters in text fields', () => {
    it.each([
      ['portfolio name with NUL', () => request(t.http).post(`${API}/portfolio`).set(bearer(user.token)).send({ name: 'Bad\u0000name' })],
      ['portfolio name with a newline', () => request(t.http).post(`${API}/portfolio`).set(bearer(user.token)).send({ name: 'two\nlines' })],
      ['symbol with an escape', () => request(t.http).post(`${API}/portfolio/${portfolio}/positions`).set(bearer(user.token)).send(stock({ symbol: 'AA\u001bPL' }))],
      ['register full_name with BEL', () => request(t.http).post(`${API}/auth/register`).send({ email: 'ctl@example.com', password: 'password-123', full_name: 'Ada\u0007' })],
      ['login email with NUL', () => request(t.http).post(`${API}/auth/login`).send({ email: 'a\u0000@example.com', password: 'x' })],
      ['a C1 control in a name', () => request(t.http).post(`${API}/portfolio`).set(bearer(user.token)).send({ name: 'x\u0085y' })],
      ['a query string', () => request(t.http).get(`${API}/admin/batch/runs?status=queued%00`).set(bearer(admin.token))],
    ])('%s: 400 naming the field', async (_label, send) => {
      const res = await send();
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 400);
      expect(res.body.detail).toMatch(/control character/);
    });

    it('nothing was stored by the rejected requests', async () => {
      const names = (await request(t.http).get(`${API}/portfolio`).set(bearer(user.token)).expect(200)).body.map((p: { name: string }) => p.name);
      expect(names).toEqual(['Book']);
    });

    it('a CSV cell with a control character is a row error', async () => {
      const res = await request(t.http)
        .post(`${API}/portfolio/${portfolio}/import`)
        .set(bearer(user.token))
        .set('content-type', 'text/csv')
        .send('symbol,quantity,entry_price,entry_date\nAA\u0000PL,1,10,2024-01-02\n');
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ row: 1, column: 'symbol', message: expect.stringMatching(/control character/) }));
    });
  });

  describe('offset and limit', () => {
    it.each([
      'limit=0',
      'limit=201',
      'limit=-1',
      'limit=1e1',
      'limit=0x10',
      'limit=+5',
      'limit=',
      'limit=abc',
      'offset=-1',
      'offset=1e20',
      'offset=100000000000000000000',
      'offset=9007199254740993',
      'offset=1.5',
      'limit=5&limit=6',
    ])('GET /admin/batch/runs?%s: 400, never a 500', async (q) => {
      const res = await request(t.http).get(`${API}/admin/batch/runs?${q}`).set(bearer(admin.token));
      expect(res.status).toBe(400);
      expectErrorShape(res.body, 400);
    });

    it('in range: 200', async () => {
      const res = await request(t.http).get(`${API}/admin/batch/runs?limit=200&offset=1000000`).set(bearer(admin.token)).expect(200);
      expect(res.body).toMatchObject({ limit: 200, offset: 1000000, runs: [] });
    });
  });
});

import request from 'supertest';
import { API, signUp, startTestApp, TestApp, bearer } from './helpers/test-app';

describe('health and basics (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health is public and live', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('GET /health/ready checks the database', async () => {
    const res = await request(t.http).get('/health/ready').expect(200);
    expect(res.body.database).toBe('up');
  });

  it('every response carries a request id, echoing the client one', async () => {
    const res = await request(t.http).get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('a portfolio round trip works with a token', async () => {
    const u = await signUp(t);
    const created = await request(t.http).post(`${API}/portfolio`).set(bearer(u.token)).send({ name: 'P1' }).expect(201);
    expect(created.body).toMatchObject({ name: 'P1', currency: 'USD', cash_balance: 0 });
  });
});

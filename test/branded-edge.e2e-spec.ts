import request from 'supertest';
import { expectErrorShape } from './fixtures/positions';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

/**
 * Issue 10 item 1 at run time: ids and dates are checked and branded at the
 * edge (route pipes, DTO decorators) — a swapped id and date is a 400 naming
 * the field, never a 500 — and every path id is documented as a uuid.
 */
describe('ids and dates at the edge (e2e)', () => {
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

  it('admin run with portfolio_id and calculation_date swapped: 400 naming both fields, no run stored', async () => {
    const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ portfolio_id: '2025-06-02', calculation_date: portfolio });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['calculation_date', 'portfolio_id']);
    const runs = await request(t.http).get(`${API}/admin/batch/runs`).set(bearer(admin.token)).expect(200);
    expect(runs.body.total).toBe(0);
  });

  it.each<[string, 'get' | 'post' | 'delete', () => string, string]>([
    ['user calculate with a date as the portfolio id', 'post', () => `${API}/portfolio/2025-06-02/calculate`, 'portfolio id must be a uuid'],
    ['batch status with a date as the run id', 'get', () => `${API}/portfolio/${portfolio}/batch-status/2025-06-02`, 'batch run id must be a uuid'],
    ['a position route with a bad position id', 'delete', () => `${API}/portfolio/${portfolio}/positions/not-a-uuid`, 'position id must be a uuid'],
    ['analytics with a bad portfolio id', 'get', () => `${API}/portfolio/x/analytics`, 'portfolio id must be a uuid'],
  ])('%s: 400', async (_label, method, url, detail) => {
    const res = await request(t.http)[method](url()).set(bearer(user.token));
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 400);
    expect(res.body.detail).toBe(detail);
  });

  it('an upper-case uuid is the same portfolio (ids are normalised at the edge)', async () => {
    const res = await request(t.http).get(`${API}/portfolio/${portfolio.toUpperCase()}`).set(bearer(user.token)).expect(200);
    expect(res.body.id).toBe(portfolio);
  });

  it('every path id in the OpenAPI document is a uuid string', async () => {
    const doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { parameters?: any[] }>> };
    const wrong: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          checked++;
          const p = (op.parameters ?? []).find((x) => x.in === 'path' && x.name === name);
          if (p?.schema?.type !== 'string' || p.schema.format !== 'uuid') wrong.push(`${method} ${path} ${name}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(wrong).toEqual([]);
  });
});

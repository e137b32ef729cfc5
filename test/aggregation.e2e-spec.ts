import request from 'supertest';
import { pollUntilFinal } from './helpers/batch-helpers';
import { API, bearer, signUp, startTestApp, TestApp } from './helpers/test-app';

type User = { token: string; id: string };
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const HEADER = 'symbol,quantity,entry_price,entry_date,position_type,underlying_symbol,strike_price,expiration_date';
/** Book A: long AAPL, short MSFT, a long AAPL call. */
const BOOK_A = ['AAPL,100,150,2024-01-02,,,,', 'MSFT,-20,300,2024-01-02,,,,', 'AAPL270115C00200000,2,10,2024-06-03,LC,AAPL,200,2027-01-15'];
/** Book B: more AAPL (the same instrument as in A) and XOM. */
const BOOK_B = ['AAPL,50,160,2024-02-01,,,,', 'XOM,30,100,2024-03-01,,,,'];
const DATE = '2025-06-02';

/** Walks two JSON values: numbers equal within 1e-9 relative (sums in another order), everything else equal. */
function expectClose(actual: Json, expected: Json, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tol = 1e-9 * Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= tol)) throw new Error(`${path}: ${actual} ≠ ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length === expected.length ? path : `${path} length`).toBe(path);
    expected.forEach((e, i) => expectClose(actual[i], e, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    expect([path, Object.keys(actual ?? {}).sort()]).toEqual([path, Object.keys(expected).sort()]);
    for (const k of Object.keys(expected)) expectClose(actual[k], expected[k], `${path}.${k}`);
    return;
  }
  expect([path, actual]).toEqual([path, expected]);
}

const bySymbol = (rows: Json[]) => Object.fromEntries(rows.map(({ position_id: _id, ...r }: Json) => [r.symbol, r]));

describe('GET /portfolio/aggregate (e2e)', () => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  let a: string;
  let b: string;
  let both: string;
  let bobs: string;

  const create = async (user: User, name: string, rows: string[], cash: number): Promise<string> => {
    const p = await request(t.http).post(`${API}/portfolio`).set(bearer(user.token)).send({ name, cash_balance: cash }).expect(201);
    await request(t.http).post(`${API}/portfolio/${p.body.id}/import`).set(bearer(user.token)).set('content-type', 'text/csv').send([HEADER, ...rows].join('\n')).expect(201);
    return p.body.id;
  };
  const calculate = async (user: User, id: string): Promise<void> => {
    const res = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(user.token)).send({ calculation_date: DATE }).expect(202);
    expect((await pollUntilFinal(t, res.body.poll_url, user.token, 60_000)).status).toBe('completed');
  };
  const aggregate = (user: User, query: string) => request(t.http).get(`${API}/portfolio/aggregate${query}`).set(bearer(user.token));

  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([signUp(t), signUp(t)]);
    a = await create(alice, 'A', BOOK_A, 10_000);
    b = await create(alice, 'B', BOOK_B, 5_000);
    // one portfolio holding both books: what the aggregate of A and B must equal
    both = await create(alice, 'A+B', [...BOOK_A, ...BOOK_B], 15_000);
    bobs = await create(bob, 'Bob', ['SPY,10,400,2024-01-02,,,,'], 0);
    for (const id of [a, b, both]) await calculate(alice, id);
  }, 240_000);
  afterAll(() => t.close());

  it('A and B aggregated equal the one portfolio holding both: snapshot, every risk section, decomposition, performance', async () => {
    const agg = (await aggregate(alice, `?ids=${a},${b}`).expect(200)).body;
    const one = (await request(t.http).get(`${API}/portfolio/${both}/analytics`).set(bearer(alice.token)).expect(200)).body;
    const perf = (await request(t.http).get(`${API}/portfolio/${both}/performance`).set(bearer(alice.token)).expect(200)).body;
    expect(agg.as_of).toBe(DATE);
    expect(agg.portfolio_ids).toEqual([a, b]);
    expect(agg.not_calculated).toEqual([]);

    // snapshot: AAPL from both books is one holding of 150 shares
    const { positions: aggPositions, ...aggSnapshot } = agg.snapshot;
    const { positions: onePositions, ...oneSnapshot } = one.snapshot;
    expectClose(aggSnapshot, oneSnapshot);
    expect(aggSnapshot.position_count).toBe(4);
    const keep = ({ symbol, quantity, market_value, unrealized_pnl, cost_basis, position_type }: Json) => ({ symbol, quantity, market_value, unrealized_pnl, cost_basis, position_type });
    expectClose(bySymbol(aggPositions.map(keep)), bySymbol(onePositions.map(keep)));
    expect(bySymbol(aggPositions).AAPL.quantity).toBe(150);

    // risk: every section as calculated by the batch for the one portfolio (ids and position order aside)
    const strip = (r: Json) => {
      const { correlation: _c, position_betas, decomposition, missing_prices, ...rest } = r;
      const { positions, ...dec } = decomposition;
      return { rest, dec, betas: bySymbol(position_betas), positions: bySymbol(positions), missing: [...missing_prices].sort((x: Json, y: Json) => (x.symbol < y.symbol ? -1 : 1)) };
    };
    const [x, y] = [strip(agg.risk), strip(one.risk)];
    expect(one.risk.var).not.toBeNull();
    expect(one.risk.decomposition.factor_attribution).not.toBeNull();
    expectClose(x.rest, y.rest);
    expectClose(x.dec, y.dec);
    expectClose(x.betas, y.betas);
    expectClose(x.positions, y.positions);
    expectClose(x.missing, y.missing);

    // performance on the summed history = the one portfolio's, inception to date
    expectClose(agg.performance, perf);
  });

  it('the aggregate decomposition adds up, sector and position parts alike', async () => {
    const d = (await aggregate(alice, `?ids=${a},${b}`).expect(200)).body.risk.decomposition;
    for (const m of ['volatility', 'var_95', 'var_99']) {
      const total = m === 'volatility' ? d.volatility_1d.amount : d[m].amount;
      for (const parts of [d.positions, d.by_sector, d.by_tag]) {
        const sum = parts.reduce((s: number, p: Json) => s + p[m].contribution_amount, 0);
        expect(Math.abs(sum - total)).toBeLessThan(1e-9 * Math.abs(total));
      }
    }
    // the sectors are the security master's classification of the held symbols (the synthetic provider fills it during the run)
    const sectors = [...new Set(d.positions.map((p: Json) => p.sector as string))].sort();
    expect(d.by_sector.map((s: Json) => s.name).sort()).toEqual(sectors);
    expect(sectors).not.toContain('Unclassified');
  });

  it('defaults to all of the caller\'s portfolios; duplicates count once', async () => {
    const all = (await aggregate(alice, '').expect(200)).body;
    expect(all.portfolio_ids.sort()).toEqual([a, b, both].sort());
    const dup = (await aggregate(alice, `?ids=${a},${a.toUpperCase()}, ${a}`).expect(200)).body;
    expect(dup.portfolio_ids).toEqual([a]);
    const single = (await request(t.http).get(`${API}/portfolio/${a}/analytics`).set(bearer(alice.token)).expect(200)).body;
    expectClose(dup.risk.var, single.risk.var);
  });

  it('a portfolio without snapshots is listed as not calculated; none calculated → nulls with a reason', async () => {
    const bare = (await request(t.http).post(`${API}/portfolio`).set(bearer(alice.token)).send({ name: 'empty' }).expect(201)).body.id;
    const r = (await aggregate(alice, `?ids=${a},${bare}`).expect(200)).body;
    expect(r.not_calculated).toEqual([bare]);
    expect(r.as_of).toBe(DATE);
    const none = (await aggregate(bob, '').expect(200)).body;
    expect(none).toMatchObject({ as_of: null, risk: null, snapshot: null, performance: null, not_calculated: [bobs] });
    expect(none.reason).toMatch(/not calculated/);
  });

  it('owner only: another user\'s or an unknown id is a 404, revealing nothing', async () => {
    await aggregate(alice, `?ids=${a},${bobs}`).expect(404);
    await aggregate(bob, `?ids=${a}`).expect(404);
    await aggregate(alice, `?ids=00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('malformed or too many ids are a 400', async () => {
    const bad = await aggregate(alice, `?ids=${a},not-a-uuid`).expect(400);
    expect(bad.body.detail).toMatch(/not-a-uuid/);
    await aggregate(alice, '?ids=').expect(400);
    await aggregate(alice, `?ids=${a},`).expect(400);
    const many = Array.from({ length: 51 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).join(',');
    expect((await aggregate(alice, `?ids=${many}`).expect(400)).body.detail).toMatch(/at most 50/);
  });
});

describe('GET /portfolio/{id}/risk/decomposition (e2e)', () => {
  let t: TestApp;
  let owner: User;
  let other: User;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp();
    [owner, other] = await Promise.all([signUp(t), signUp(t)]);
    id = (await request(t.http).post(`${API}/portfolio`).set(bearer(owner.token)).send({ name: 'P' }).expect(201)).body.id;
    await request(t.http).post(`${API}/portfolio/${id}/import`).set(bearer(owner.token)).set('content-type', 'text/csv')
      .send([HEADER, ...BOOK_A].join('\n')).expect(201);
  }, 60_000);
  afterAll(() => t.close());

  const get = (user: User, query = '') => request(t.http).get(`${API}/portfolio/${id}/risk/decomposition${query}`).set(bearer(user.token));

  it('before any run: null with a reason; a date without a record is a 404', async () => {
    expect((await get(owner).expect(200)).body).toEqual({ as_of: null, decomposition: null, reason: expect.stringMatching(/not calculated/) });
    await get(owner, `?date=${DATE}`).expect(404);
  });

  it('after a run: the stored section, the same as in the analytics view; parts add up to the record\'s VaR', async () => {
    const res = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(owner.token)).send({ calculation_date: DATE }).expect(202);
    expect((await pollUntilFinal(t, res.body.poll_url, owner.token, 60_000)).status).toBe('completed');
    const d = (await get(owner, `?date=${DATE}`).expect(200)).body;
    const analytics = (await request(t.http).get(`${API}/portfolio/${id}/analytics`).set(bearer(owner.token)).expect(200)).body;
    expect(d.as_of).toBe(DATE);
    expect(d.decomposition).toEqual(analytics.risk.decomposition);
    expect(d.decomposition.var_95.amount).toBeCloseTo(analytics.risk.var.var_95_amount, 6);
    const sum = d.decomposition.positions.reduce((s: number, p: Json) => s + p.var_95.contribution_amount, 0);
    expect(Math.abs(sum - d.decomposition.var_95.amount)).toBeLessThan(1e-9 * d.decomposition.var_95.amount);
    expect(d.decomposition.positions.map((p: Json) => p.symbol).sort()).toEqual(['AAPL', 'AAPL270115C00200000', 'MSFT']);
  });

  it('another user gets a 404', async () => {
    await get(other).expect(404);
  });
});

import fc from 'fast-check';
import request from 'supertest';
import { createPortfolioWith, sql, SMALL_BOOK } from './helpers/batch-helpers';
import { ApiDocument, HTTP_METHODS, Schema, schemaCompiler } from './helpers/openapi-schemas';
import { hostileQueryValue, hostileSegment, mutated, queryValueIsValid, valid } from './helpers/schema-arbitrary';

/** A generated value as query text (objects, some without a prototype, as JSON). */
const queryText = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

/**
 * Property-based probe of every route in the OpenAPI document: bodies, path
 * parameters and query strings generated from the document's own schemas
 * (valid ones, and mutations the document rejects). Every answer must be
 * below 500; an input the document rejects must get a 4xx in the error shape;
 * a rejected request must store nothing. The contract check of startTestApp
 * validates every answer's body as well. Bounded: a fixed seed and
 * RUNS_PER_ROUTE requests per route.
 */
const SEED = 20261202;
const RUNS_PER_ROUTE = 16;

interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
}
interface Route {
  method: string;
  template: string;
  op: { parameters?: Param[]; requestBody?: { content?: Record<string, { schema: Schema }> }; responses: Record<string, { content?: Record<string, unknown> }> };
}

interface Case {
  path: string;
  query: Record<string, string>;
  body: unknown;
  contentType: string | null;
  /** Why the document rejects this input; null when it accepts it. */
  invalid: string | null;
}

describe('fuzz: every documented route (e2e)', () => {
  let t: TestApp;
  let doc: ApiDocument;
  let userToken: string;
  let adminToken: string;
  const ids: Record<string, string> = {};
  let fingerprint: () => Promise<Record<string, string>>;

  beforeAll(async () => {
    // no worker: runs stay queued, so nothing writes in the background between two fingerprints
    t = await startTestApp({ PROCESS_ROLE: 'api' });
    doc = t.contract.checker.doc;
    const user = await signUp(t);
    userToken = user.token;
    adminToken = (await signUpAdmin(t)).token;
    ids.portfolio = await createPortfolioWith(t, userToken, SMALL_BOOK);
    ids.position = (await request(t.http).get(`${API}/portfolio/${ids.portfolio}/positions`).set(bearer(userToken)).expect(200)).body[0].id;
    ids.run = (await request(t.http).post(`${API}/portfolio/${ids.portfolio}/calculate`).set(bearer(userToken)).send({}).expect(202)).body.batch_run_id;
    fingerprint = await tableFingerprint(t);
  });
  afterAll(() => t.close());

  const routes = (): Route[] =>
    Object.entries(doc.paths).flatMap(([template, item]) =>
      HTTP_METHODS.filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), template, op: item[m] })),
    );

  it('has routes to probe', () => {
    expect(routes().length).toBeGreaterThan(20);
  });

  it('answers every generated request below 500; rejects what the document rejects with a 4xx; stores nothing when it rejects', async () => {
    const compile = schemaCompiler(doc);
    const failures: string[] = [];
    const tally = { accepted: 0, rejectedInvalid: 0, rejectedValid: 0 };
    for (const route of routes()) {
      const bodySchema = route.op.requestBody?.content?.['application/json']?.schema;
      const validateBody = bodySchema ? compile(bodySchema) : null;
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(caseFor(route, bodySchema, validateBody), async (c) => {
          const problem = await send(route, c, tally);
          if (problem) failures.push(`${route.method} ${route.template}: ${problem}\n    input ${describeCase(c)}`);
          if (problem && process.env.FUZZ_DEBUG) console.log(failures[failures.length - 1]);
          return true;
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (process.env.FUZZ_DEBUG) console.log(`${route.method} ${route.template}: ${Date.now() - started} ms`);
    }
    if (process.env.FUZZ_DEBUG) console.log(tally, Object.keys(await fingerprint()));
    expect(failures).toEqual([]);
    // the probe reaches past the validation into the routes, and sends plenty the document rejects
    expect(tally.accepted).toBeGreaterThan(routes().length);
    expect(tally.rejectedInvalid).toBeGreaterThan(3 * routes().length);
  }, 300_000); // every documented route, many requests each: a safety net for a slow machine, not a time limit

  describe('what the probe found (each a 500 before its fix)', () => {
    it('a body nested thousands deep is a 400, even on a public route', async () => {
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      const res = await request(t.http).post(`${API}/auth/login`).set('content-type', 'application/json').send(`{"email":"a@b.co","password":"x","n":${deep}}`).expect(400);
      expect(res.body.detail).toMatch(/nested too deeply/);
    });

    it('a number beyond its numeric(20,6) column is a 400 and stores nothing', async () => {
      const before = await request(t.http).get(`${API}/portfolio`).set(bearer(userToken)).expect(200);
      for (const cash_balance of [1e66, -1.7976931348623157e308]) {
        const res = await request(t.http).post(`${API}/portfolio`).set(bearer(userToken)).send({ name: 'Huge', cash_balance }).expect(400);
        expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request' });
      }
      const after = await request(t.http).get(`${API}/portfolio`).set(bearer(userToken)).expect(200);
      expect(after.body.length).toBe(before.body.length);
    });

    it('query integers only in plain decimal form (no hex, spaces or exponents)', async () => {
      for (const limit of ['0x10', ' 5', '1e1']) {
        await request(t.http).get(`${API}/admin/batch/runs`).query({ limit }).set(bearer(adminToken)).expect(400);
      }
      await request(t.http).get(`${API}/admin/batch/runs`).query({ limit: '16' }).set(bearer(adminToken)).expect(200);
    });
  });

  /** The path, query and body of one request: each part valid or hostile. */
  function caseFor(route: Route, bodySchema: Schema | undefined, validateBody: ((v: unknown) => boolean) | null): fc.Arbitrary<Case> {
    const params = route.op.parameters ?? [];
    const streams = Object.keys(route.op.responses['200']?.content ?? {}).includes('text/event-stream');
    const pathParts = params
      .filter((p) => p.in === 'path')
      .map((p) => {
        const known = knownId(route, p.name);
        // an event stream of a live run never ends by itself; a DELETE of the fixtures would empty the rest of the probe
        const usable = known && !streams && route.method !== 'DELETE' ? [fc.constant(known)] : [];
        return fc.oneof(...usable, fc.uuid(), hostileSegment.map((s) => ({ hostile: s }))).map((v) => [p.name, v] as const);
      });
    const queryParts = params
      .filter((p) => p.in === 'query')
      .map((p) =>
        // a stream that ends only when asked (the user's alert stream) is read in its one-shot form (max_seconds=0) so the probe can read its end
        streams && p.name === 'max_seconds'
          ? fc.constant([p, '0'] as const)
          : fc.option(fc.oneof(valid(doc, p.schema).map(queryText), hostileQueryValue), { nil: undefined }).map((v) => [p, v] as const),
      );
    const csv = route.op.requestBody?.content?.['text/csv'];
    const body: fc.Arbitrary<{ body: unknown; contentType: string | null }> = bodySchema
      ? fc.oneof(valid(doc, bodySchema), mutated(doc, bodySchema)).map((b) => ({ body: b, contentType: 'application/json' }))
      : csv
        ? fc.tuple(csvBody(), fc.constantFrom('text/csv', 'multipart/form-data')).map(([b, type]) => ({ body: b, contentType: type }))
        : fc.constant({ body: undefined, contentType: null });
    return fc.record({ path: fc.tuple(...pathParts), query: fc.tuple(...queryParts), body }).map(({ path, query, body: b }) => {
      const reasons: string[] = [];
      let concrete = route.template;
      for (const [name, v] of path) {
        const value = typeof v === 'string' ? v : v.hostile;
        if (typeof v !== 'string') reasons.push(`path ${name} not a uuid`);
        concrete = concrete.replace(`{${name}}`, encodeURIComponent(value));
      }
      const q: Record<string, string> = {};
      for (const [p, v] of query) {
        if (v === undefined) continue;
        q[p.name] = v;
        if (!queryValueIsValid(doc, p.schema, v)) reasons.push(`query ${p.name}=${JSON.stringify(v)}`);
      }
      if (validateBody && b.body !== undefined && !validateBody(b.body)) reasons.push('body rejected by its schema');
      return { path: concrete, query: q, body: b.body, contentType: b.contentType, invalid: reasons.length ? reasons.join('; ') : null };
    });
  }

  function knownId(route: Route, name: string): string | null {
    if (route.template.includes('/batch/runs/{id}') || name === 'runId') return ids.run;
    if (name === 'positionId') return ids.position;
    if (name === 'id' && route.template.startsWith(`${API}/portfolio/`)) return ids.portfolio;
    return null;
  }

  /** Sends one case; returns what is wrong with the answer, or null. */
  /** The stored state before the next request; null after a request that may have changed it. */
  let known: Record<string, string> | null = null;
  async function send(route: Route, c: Case, tally: Record<'accepted' | 'rejectedInvalid' | 'rejectedValid', number>): Promise<string | null> {
    const before = (known ??= await fingerprint());
    known = null;
    const admin = route.template.includes('/admin/');
    let req = request(t.http)[route.method.toLowerCase() as 'get'](c.path).query(c.query).set(bearer(admin ? adminToken : userToken));
    if (c.contentType === 'multipart/form-data') req = req.attach('file', Buffer.from(String(c.body)), 'upload.csv');
    else if (c.contentType) req = req.set('content-type', c.contentType).send(typeof c.body === 'string' ? c.body : JSON.stringify(c.body));
    const res = await req;
    tally[res.status < 400 ? 'accepted' : c.invalid ? 'rejectedInvalid' : 'rejectedValid']++;
    if (res.status >= 500) return `answered ${res.status}: ${res.text.slice(0, 300)}`;
    if (c.invalid && (res.status < 400 || res.status >= 500)) return `the document rejects it (${c.invalid}) but the route answered ${res.status}`;
    if (res.status >= 400) {
      if (!(res.body && typeof res.body.status_code === 'number' && typeof res.body.detail === 'string')) return `a ${res.status} without the error shape: ${res.text.slice(0, 200)}`;
      const after = (known = await fingerprint());
      const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
      if (changed.length) return `answered ${res.status} but changed ${changed.join(', ')}`;
    }
    return null;
  }
});

/** CSV bodies: a valid header with generated rows, or junk. */
function csvBody(): fc.Arbitrary<string> {
  const cell = fc.oneof(fc.constantFrom('AAPL', '100', '-5', '150.5', '2024-01-02', '0x1F', '1e400', '', 'a\u0000b', '=cmd()', '"', 'LC', 'CALL'), fc.string({ maxLength: 8 }));
  const row = fc.array(cell, { minLength: 1, maxLength: 9 }).map((cells) => cells.join(','));
  const header = fc.constantFrom('symbol,quantity,entry_price,entry_date', 'symbol,date,close', 'symbol,quantity,entry_price,entry_date,position_type,underlying_symbol,strike_price,expiration_date', 'nonsense');
  return fc.oneof(fc.tuple(header, fc.array(row, { maxLength: 4 })).map(([h, rows]) => [h, ...rows].join('\n')), fc.string({ maxLength: 60 }));
}

function describeCase(c: Case): string {
  const text = JSON.stringify({ path: c.path, query: c.query, body: c.body });
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/**
 * A fingerprint of what requests store: the content of every application
 * table (md5 of its rows), and the row count of `users` (a refused login may
 * legitimately touch a user's bookkeeping columns). Tables of rate limiters
 * and attempt counters change on rejected requests by design and are left out.
 */
async function tableFingerprint(t: TestApp): Promise<() => Promise<Record<string, string>>> {
  const tables: string[] = (await sql(t, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`))
    .map((r) => r.table_name)
    .filter((name) => !/migrations|typeorm|rate|limit|attempt|login|session|revoc/i.test(name));
  const parts = tables.map((name) =>
    name === 'users' ? `(SELECT count(*)::text FROM users) AS "users"` : `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${name}" x) AS "${name}"`,
  );
  const query = `SELECT ${parts.join(', ')}`;
  return async () => (await sql(t, query))[0];
}

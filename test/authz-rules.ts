/**
 * The authorization matrix: for every route of the running app, the status
 * each kind of caller gets. test/authz-matrix.e2e-spec.ts fails when a route
 * has no line here, or a line names a route that does not exist, so a new
 * route cannot ship without deciding who may call it.
 *
 * Callers:
 *   anonymous  no token
 *   owner      role `user`, owns the fixtures (a portfolio with one position)
 *   other      role `user`, owns nothing of the fixtures
 *   admin      role `admin`, owns nothing of the fixtures (owner-only routes
 *              answer an admin 404, like anyone else's)
 *
 * Path params: `:id` is the fixture portfolio, `:positionId` its position.
 * Any other param (or another meaning of `:id`) comes from `params`, called
 * once per route before the requests (it may create what it needs, e.g. a
 * batch run). Requests run in the order anonymous, other, admin, owner;
 * DELETE routes and rules with `fresh: true` get their own fixtures, so they
 * neither destroy nor lock anything shared (start batch runs on fresh ones).
 *
 * Add a line per route, e.g.
 *   'POST /api/v1/portfolio/:id/calculate': { anonymous: 401, owner: 202, other: 404, admin: 404 },
 *   'GET /api/v1/admin/batch/runs': { anonymous: 401, owner: 403, other: 403, admin: 200 },
 */
import type { Server } from 'node:http';
import request from 'supertest';

export type Caller = 'anonymous' | 'owner' | 'other' | 'admin';

export interface MatrixContext {
  http: Server;
  /** Bearer tokens by caller (anonymous has none). */
  tokens: Record<Exclude<Caller, 'anonymous'>, string>;
  /** The owner's fixture portfolio and position used for this route. */
  portfolioId: string;
  positionId: string;
  /** Which caller this request is for (bodies that must be unique per call can use it). */
  caller: Caller;
  /** Email and password of the owner, for routes that take credentials. */
  credentials: { email: string; password: string };
}

export type RequestBody = string | Record<string, unknown>;

export interface RouteRule extends Record<Caller, number> {
  /** Request body (JSON unless contentType says otherwise); a function is called per request. */
  body?: RequestBody | ((ctx: MatrixContext) => RequestBody);
  contentType?: string;
  /** Query string without the `?`. */
  query?: string;
  /** Path param values beyond (or instead of) :id and :positionId; called once per route, as the owner. */
  params?: (ctx: MatrixContext) => Record<string, string> | Promise<Record<string, string>>;
  /** Fresh fixtures for this route (default: true for DELETE). */
  fresh?: boolean;
}

/** Starts a recalculation of the context's portfolio as its owner; its batch run id. */
async function startRun(ctx: MatrixContext): Promise<string> {
  const res = await request(ctx.http).post(`/api/v1/portfolio/${ctx.portfolioId}/calculate`).set('Authorization', `Bearer ${ctx.tokens.owner}`).send({});
  if (res.status !== 202) throw new Error(`could not start a batch run for the matrix: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.batch_run_id as string;
}

/** A run of the context's portfolio that has finished (started as its owner, awaited). */
async function finishedRun(ctx: MatrixContext): Promise<string> {
  const id = await startRun(ctx);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(ctx.http).get(`/api/v1/portfolio/${ctx.portfolioId}/batch-status/${id}`).set('Authorization', `Bearer ${ctx.tokens.owner}`);
    if (['completed', 'partial', 'failed', 'cancelled'].includes(res.body.status)) return id;
    if (Date.now() > deadline) throw new Error(`the matrix's run did not finish: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Registers a webhook as the context's owner; its id. */
async function addWebhook(ctx: MatrixContext): Promise<string> {
  const res = await request(ctx.http).post('/api/v1/webhooks').set('Authorization', `Bearer ${ctx.tokens.owner}`)
    .send({ url: 'https://hooks.example.com/matrix', events: ['alert.opened'] });
  if (res.status !== 201) throw new Error(`could not register a webhook for the matrix: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Records a deposit in the context's portfolio as its owner; its transaction id. */
async function addTransaction(ctx: MatrixContext): Promise<string> {
  const res = await request(ctx.http).post(`/api/v1/portfolio/${ctx.portfolioId}/transactions`).set('Authorization', `Bearer ${ctx.tokens.owner}`)
    .send({ type: 'DEPOSIT', date: '2025-01-02', amount: 100 });
  if (res.status !== 201) throw new Error(`could not record a transaction for the matrix: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

let seq = 0;
const uniqueEmail = (caller: Caller) => `matrix-${caller}-${process.pid}-${Date.now()}-${++seq}@example.com`;

const PUBLIC_200 = { anonymous: 200, owner: 200, other: 200, admin: 200 };
const AUTHENTICATED = (status: number) => ({ anonymous: 401, owner: status, other: status, admin: status });
const OWNER_ONLY = (status: number) => ({ anonymous: 401, owner: status, other: 404, admin: 404 });
/** For the coming `/api/v1/admin/...` routes. */
export const ADMIN_ONLY = (status: number) => ({ anonymous: 401, owner: 403, other: 403, admin: status });

export const AUTHZ_RULES: Record<string, RouteRule> = {
  // health (public, outside the /api/v1 prefix)
  'GET /health': PUBLIC_200,
  'GET /health/ready': PUBLIC_200,

  // auth
  'POST /api/v1/auth/register': {
    anonymous: 201, owner: 201, other: 201, admin: 201,
    body: ({ caller }) => ({ email: uniqueEmail(caller), password: 'matrix-Quokka-password', full_name: 'Matrix' }),
  },
  'POST /api/v1/auth/login': { ...PUBLIC_200, body: ({ credentials }) => credentials },
  // a new password that fails the rules: any signed-in caller reaches validation (400), nobody's tokens are revoked
  'POST /api/v1/auth/password': { ...AUTHENTICATED(400), body: { current_password: 'whatever-it-is', new_password: 'short' } },
  'GET /api/v1/auth/me': AUTHENTICATED(200),

  // portfolios
  'POST /api/v1/portfolio': { ...AUTHENTICATED(201), body: { name: 'Matrix' } },
  'GET /api/v1/portfolio': AUTHENTICATED(200),
  'GET /api/v1/portfolio/:id': OWNER_ONLY(200),
  'PATCH /api/v1/portfolio/:id': { ...OWNER_ONLY(200), body: { name: 'Renamed' } },
  'DELETE /api/v1/portfolio/:id': OWNER_ONLY(204),

  // positions
  'GET /api/v1/portfolio/:id/positions': OWNER_ONLY(200),
  'POST /api/v1/portfolio/:id/positions': { ...OWNER_ONLY(201), body: { symbol: 'MSFT', quantity: 5, entry_price: 400, entry_date: '2024-05-01' } },
  'PATCH /api/v1/portfolio/:id/positions/:positionId': { ...OWNER_ONLY(200), body: { quantity: 7 } },
  'DELETE /api/v1/portfolio/:id/positions/:positionId': OWNER_ONLY(204),
  'PUT /api/v1/portfolio/:id/positions/:positionId/tags': { ...OWNER_ONLY(200), body: { tags: ['core', 'matrix'] } },
  'POST /api/v1/portfolio/:id/import': {
    ...OWNER_ONLY(201),
    contentType: 'text/csv',
    body: 'symbol,quantity,entry_price,entry_date\nIBM,3,160,2024-05-01\n',
  },

  // ledger (:txId is a transaction of the fixture portfolio)
  'POST /api/v1/portfolio/:id/transactions': { ...OWNER_ONLY(201), body: { type: 'DEPOSIT', date: '2025-01-02', amount: 1000 } },
  'GET /api/v1/portfolio/:id/transactions': OWNER_ONLY(200),
  'PATCH /api/v1/portfolio/:id/transactions/:txId': { ...OWNER_ONLY(200), body: { note: 'matrix' }, params: async (ctx) => ({ txId: await addTransaction(ctx) }) },
  'DELETE /api/v1/portfolio/:id/transactions/:txId': { ...OWNER_ONLY(204), params: async (ctx) => ({ txId: await addTransaction(ctx) }) },
  'POST /api/v1/portfolio/:id/transactions/import': {
    ...OWNER_ONLY(201),
    contentType: 'text/csv',
    body: 'type,date,amount\nDEPOSIT,2025-01-02,250\n',
  },
  'GET /api/v1/portfolio/:id/lots': OWNER_ONLY(200),
  'GET /api/v1/portfolio/:id/realized': OWNER_ONLY(200),

  // batch (user)
  'POST /api/v1/portfolio/:id/calculate': { ...OWNER_ONLY(202), fresh: true },
  'GET /api/v1/portfolio/:id/batch-status/:runId': { ...OWNER_ONLY(200), fresh: true, params: async (ctx) => ({ runId: await startRun(ctx) }) },
  'GET /api/v1/portfolio/:id/batch-runs': OWNER_ONLY(200),
  // live status (SSE): the owner's stream ends with the run's final event
  'GET /api/v1/portfolio/:id/batch-status/:runId/events': { ...OWNER_ONLY(200), fresh: true, params: async (ctx) => ({ runId: await startRun(ctx) }) },

  // analytics
  'GET /api/v1/portfolio/:id/snapshots': OWNER_ONLY(200),
  'GET /api/v1/portfolio/:id/analytics': OWNER_ONLY(200),
  'GET /api/v1/portfolio/:id/exposures': OWNER_ONLY(200),
  'GET /api/v1/portfolio/:id/risk/decomposition': OWNER_ONLY(200),
  // every caller may aggregate their own portfolios (default: all of theirs, possibly none)
  'GET /api/v1/portfolio/aggregate': { anonymous: 401, owner: 200, other: 200, admin: 200 },
  'GET /api/v1/portfolio/:id/performance': { ...OWNER_ONLY(200), query: 'period=YTD&benchmark=SPY' },

  // limits and alerts (owner only); the alert stream is the caller's own (max_seconds=0: one-shot read, then the end)
  'GET /api/v1/portfolio/:id/limits': OWNER_ONLY(200),
  'PUT /api/v1/portfolio/:id/limits': { ...OWNER_ONLY(200), body: { var_95_pct_max: 5, beta_min: -1, beta_max: 2 } },
  'GET /api/v1/portfolio/:id/alerts': { ...OWNER_ONLY(200), query: 'status=all' },
  'GET /api/v1/alerts/events': { ...AUTHENTICATED(200), query: 'max_seconds=0' },

  // webhooks (per user; :id is a webhook of the owner here)
  'POST /api/v1/webhooks': { ...AUTHENTICATED(201), body: { url: 'https://hooks.example.com/matrix', events: ['alert.opened', 'batch.completed'] } },
  'GET /api/v1/webhooks': AUTHENTICATED(200),
  'DELETE /api/v1/webhooks/:id': { ...OWNER_ONLY(204), params: async (ctx) => ({ id: await addWebhook(ctx) }) },
  'GET /api/v1/webhooks/:id/deliveries': { ...OWNER_ONLY(200), params: async (ctx) => ({ id: await addWebhook(ctx) }) },

  // admin: batch (:id is a batch run id here)
  'POST /api/v1/admin/batch/run': { ...ADMIN_ONLY(202), fresh: true, body: ({ portfolioId }) => ({ portfolio_id: portfolioId }) },
  'GET /api/v1/admin/batch/runs': ADMIN_ONLY(200),
  'GET /api/v1/admin/batch/current': ADMIN_ONLY(200),
  'GET /api/v1/admin/batch/runs/:id': { ...ADMIN_ONLY(200), fresh: true, params: async (ctx) => ({ id: await startRun(ctx) }) },
  'POST /api/v1/admin/batch/runs/:id/cancel': { ...ADMIN_ONLY(202), fresh: true, params: async (ctx) => ({ id: await startRun(ctx) }) },
  'GET /api/v1/admin/batch/runs/:id/events': { ...ADMIN_ONLY(200), fresh: true, params: async (ctx) => ({ id: await startRun(ctx) }) },
  // operator controls (issue 11 item 4)
  'POST /api/v1/admin/batch/runs/:id/rerun': {
    ...ADMIN_ONLY(202), fresh: true, body: { phase: 'risk_analytics' }, params: async (ctx) => ({ id: await finishedRun(ctx) }),
  },
  'GET /api/v1/admin/batch/schedule': ADMIN_ONLY(200),
  'PUT /api/v1/admin/batch/schedule': { ...ADMIN_ONLY(200), body: { paused: false } },
  'GET /api/v1/admin/market-data/coverage': { ...ADMIN_ONLY(200), query: 'date=2025-06-02' },

  // Prometheus metrics (outside /api/v1): an admin's JWT, or the METRICS_TOKEN bearer (not set in the matrix)
  'GET /metrics': ADMIN_ONLY(200),

  // admin: market data
  'POST /api/v1/admin/market-data/prices': { ...ADMIN_ONLY(201), contentType: 'text/csv', body: 'symbol,date,close\nMTRX,2024-01-02,10.5\n' },
  'POST /api/v1/admin/market-data/actions': { ...ADMIN_ONLY(201), contentType: 'text/csv', body: 'symbol,type,ex_date,pay_date,ratio,amount\nMTRX,SPLIT,2024-01-02,,2,\n' },
  'GET /api/v1/admin/market-data/actions': { ...ADMIN_ONLY(200), query: 'symbol=MTRX' },
  'POST /api/v1/admin/market-data/symbols': { ...ADMIN_ONLY(201), contentType: 'text/csv', body: 'symbol,sector,country\nMTRX,Energy,US\n' },
  'GET /api/v1/admin/market-data/symbols': { ...ADMIN_ONLY(200), query: 'symbols=MTRX,NOPE' },
};

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
 * Any other param needs `params` (e.g. a batch run id made in `params`).
 * Requests run in the order anonymous, other, admin, owner; DELETE routes (and
 * any with `fresh: true`) get their own fixtures so they destroy nothing shared.
 *
 * Add a line per route, e.g.
 *   'POST /api/v1/portfolio/:id/calculate': { anonymous: 401, owner: 202, other: 404, admin: 404 },
 *   'GET /api/v1/admin/batch/runs': { anonymous: 401, owner: 403, other: 403, admin: 200 },
 */
import type { Server } from 'node:http';

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
  /** Values for path params beyond :id and :positionId (may create what they need). */
  params?: (ctx: MatrixContext) => Record<string, string> | Promise<Record<string, string>>;
  /** Fresh fixtures for this route (default: true for DELETE). */
  fresh?: boolean;
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
    body: ({ caller }) => ({ email: uniqueEmail(caller), password: 'password-123', full_name: 'Matrix' }),
  },
  'POST /api/v1/auth/login': { ...PUBLIC_200, body: ({ credentials }) => credentials },
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
  'POST /api/v1/portfolio/:id/import': {
    ...OWNER_ONLY(201),
    contentType: 'text/csv',
    body: 'symbol,quantity,entry_price,entry_date\nIBM,3,160,2024-05-01\n',
  },
};

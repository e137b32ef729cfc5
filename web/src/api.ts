import createClient from 'openapi-fetch';
import type { components, paths } from './api/schema';

export type Schemas = components['schemas'];
export type User = Schemas['UserResponse'];
export type Portfolio = Schemas['PortfolioResponse'];
export type RunView = Schemas['BatchRunResponse'];
export type RunDetail = Schemas['BatchRunDetailResponse'];
export type Analytics = Schemas['AnalyticsResponse'];
export type Risk = NonNullable<Analytics['risk']>;
export type FieldError = Schemas['FieldErrorDto'];

const TOKEN_KEY = 'sigmasight.session';

/** The session lives in sessionStorage (one tab, gone with it); never in a cookie, so no CSRF surface. */
export interface Session {
  token: string;
  user: User;
  expiresAt: number;
}

type Listener = (s: Session | null) => void;
const listeners = new Set<Listener>();

function readSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null') as Session | null;
    return s && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

let current: Session | null = readSession();
export const session = () => current;
export const onSession = (l: Listener) => (listeners.add(l), () => void listeners.delete(l));

export function setSession(s: Session | null, reason?: string): void {
  current = s;
  if (s) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(TOKEN_KEY);
  if (reason) sessionStorage.setItem('sigmasight.signout-reason', reason);
  listeners.forEach((l) => l(s));
}

/** An error answer of the API, in its one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<Schemas['ErrorResponseDto']>,
  ) {
    super(body.detail ?? `HTTP ${status}`);
  }
  /** Nest's answer for a path no controller serves: the feature is not built on this server. */
  get routeMissing(): boolean {
    return this.status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE)/.test(this.body.detail ?? '');
  }
}

function authHeaders(): Record<string, string> {
  return current ? { Authorization: `Bearer ${current.token}` } : {};
}

function expireOn401(status: number, url: string): void {
  if (status === 401 && current && !url.endsWith('/auth/login')) setSession(null, 'Your session has expired. Please sign in again.');
}

export const api = createClient<paths>({ baseUrl: '' });
api.use({
  onRequest({ request }) {
    for (const [k, v] of Object.entries(authHeaders())) request.headers.set(k, v);
    return request;
  },
  onResponse({ response, request }) {
    expireOn401(response.status, request.url);
    return response;
  },
});

/** Unwraps an openapi-fetch result: the data, or an ApiError. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as Schemas['ErrorResponseDto']);
  return data as T;
}

/**
 * A route this client's document may not have yet (issues 11 and 12 are built
 * in parallel): untyped, and a route the server does not serve reads as
 * `unavailable` rather than an error.
 */
export type Optional<T> = { state: 'ok'; data: T } | { state: 'unavailable'; detail: string };

type OpenApiOperation = { responses?: Record<string, { content?: Record<string, unknown> }> };
let served: Promise<Record<string, Record<string, OpenApiOperation>> | null> | null = null;

/**
 * The routes this server serves, from its own OpenAPI document (read once per
 * page load). Asking the document instead of probing keeps the browser from
 * logging a 404 for every panel whose feature is not built yet.
 */
function servedRoutes() {
  served ??= fetch('/docs/openapi.json', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : null))
    .then((doc) => (doc?.paths ?? null) as Record<string, Record<string, OpenApiOperation>> | null)
    .catch(() => null);
  return served;
}

/** Whether the server documents `method template` (answering JSON on success); unknown (no document) counts as yes. */
export async function routeServed(method: string, template: string): Promise<boolean> {
  const paths = await servedRoutes();
  if (!paths) return true;
  const op = paths[template]?.[method.toLowerCase()];
  if (!op) return false;
  const ok = Object.entries(op.responses ?? {}).find(([status]) => /^2/.test(status));
  return !ok || !ok[1].content || 'application/json' in ok[1].content || ok[0] === '204';
}

const UNAVAILABLE = { state: 'unavailable', detail: 'not available on this server yet' } as const;

export async function optionalCall<T>(
  method: 'GET' | 'PUT' | 'POST',
  template: string,
  params: Record<string, string> = {},
  opts: { body?: unknown; query?: Record<string, string> } = {},
): Promise<Optional<T>> {
  if (!(await routeServed(method, template))) return UNAVAILABLE;
  let path = template.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(params[k]));
  const query = new URLSearchParams(Object.entries(opts.query ?? {}).filter(([, v]) => v !== ''));
  if ([...query].length) path += `?${query}`;
  const res = await fetch(path, {
    method,
    headers: { Accept: 'application/json', ...(opts.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...authHeaders() },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  expireOn401(res.status, path);
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    await res.body?.cancel();
    if (res.ok) return UNAVAILABLE;
  }
  const json = type.includes('application/json') ? await res.json() : {};
  if (res.ok) return { state: 'ok', data: json as T };
  const err = new ApiError(res.status, json);
  if (err.routeMissing || res.status === 405) return UNAVAILABLE;
  throw err;
}

/** Posts a CSV file as text/csv; the API's all-or-nothing import answers 400 with every bad row. */
export async function postCsv<T>(path: string, text: string): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'text/csv', Accept: 'application/json', ...authHeaders() }, body: text });
  expireOn401(res.status, path);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, json);
  return json as T;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const data = await call(api.POST('/api/v1/auth/login', { body: { email, password } }));
  const s: Session = { token: data.access_token, user: data.user, expiresAt: Date.now() + data.expires_in * 1000 };
  setSession(s);
  return s;
}

export interface StreamHandlers<T> {
  onStatus(view: T): void;
  onFinal?(view: T): void;
  onError?(e: unknown): void;
}

/**
 * Follows a batch run's Server-Sent Events. EventSource cannot send the
 * Authorization header the API requires, so this reads the stream with fetch
 * (same events: `status`, `final`, `ping`, `shutdown`). Returns a stop function.
 */
export function followRun<T>(path: string, h: StreamHandlers<T>): () => void {
  const ctl = new AbortController();
  (async () => {
    const res = await fetch(path, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal: ctl.signal });
    expireOn401(res.status, path);
    if (!res.ok || !res.body) throw new ApiError(res.status, await res.json().catch(() => ({})));
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (!data.length) continue;
        const view = JSON.parse(data.join('\n')) as T;
        if (event === 'status') h.onStatus(view);
        else if (event === 'final') {
          h.onStatus(view);
          h.onFinal?.(view);
          ctl.abort();
          return;
        }
      }
    }
  })().catch((e) => {
    if (!ctl.signal.aborted) h.onError?.(e);
  });
  return () => ctl.abort();
}

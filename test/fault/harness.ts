/**
 * Fault-test harness: real OS processes of the built app (`node dist/src/...`)
 * on a fresh database of the PostgreSQL server in TEST_DATABASE_URL, seeded
 * with bulk SQL, driven over HTTP, killed with real signals.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const ROOT = process.cwd();
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const JWT_SECRET = 'fault-secret-fault-secret-fault-secret-0123';
export const ADMIN = { email: 'admin@fault.example.com', password: 'admin-password-123' };
export const OWNER = { email: 'owner@fault.example.com', password: 'owner-password-123' };
export const METRICS_TOKEN = 'fault-metrics-token-0123456789';
export const FINAL = ['completed', 'partial', 'failed', 'cancelled'];

/** Settings every process of a fault test gets (small limits so faults resolve in seconds). */
export const FAULT_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  JWT_SECRET,
  BATCH_CRON_ENABLED: 'false',
  BATCH_STALE_SECONDS: '6',
  BATCH_HEARTBEAT_SECONDS: '1',
  BATCH_CHUNK_SIZE: '50',
  BATCH_CHUNK_EXPIRE_SECONDS: '10',
  SHUTDOWN_GRACE_SECONDS: '8',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  METRICS_TOKEN,
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function log(message: string): void {
  process.stdout.write(`[fault ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

/** Polls `probe` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

// --- database --------------------------------------------------------------

export interface FaultDb {
  name: string;
  url: string;
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createFaultDatabase(label: string): Promise<FaultDb> {
  const name = `sigmasight_fault_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString(), application_name: 'fault-harness' });
  await client.connect();
  client.on('error', () => undefined);
  return {
    name,
    url: url.toString(),
    query: async (sql, params = []) => (await client.query(sql, params)).rows,
    drop: async () => {
      await client.end().catch(() => undefined);
      const c = new Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'JPM', 'XOM', 'JNJ', 'PG', 'KO', 'PEP', 'WMT', 'DIS', 'NFLX', 'INTC', 'AMD', 'CSCO', 'ORCL', 'IBM',
  'BA', 'CAT', 'GE', 'MMM', 'HD', 'LOW', 'NKE', 'SBUX', 'MCD', 'V', 'MA', 'PYPL', 'CRM', 'ADBE', 'T', 'VZ', 'CVX', 'PFE', 'MRK', 'ABBV'];

/**
 * `count` portfolios of `positions` stocks each (one short), owned by `ownerId`,
 * by two INSERT ... SELECT statements. Returns the portfolio ids, ordered.
 */
export async function seedBook(db: FaultDb, ownerId: string, count: number, positions = 3): Promise<string[]> {
  await db.query(
    `INSERT INTO portfolios (user_id, name, cash_balance) SELECT $1, 'Fault book ' || g, 10000 FROM generate_series(1, $2) g`,
    [ownerId, count],
  );
  await db.query(
    `INSERT INTO positions (portfolio_id, symbol, quantity, entry_price, entry_date, position_type)
     SELECT p.id, ($3::text[])[1 + (abs(hashtext(p.id::text || k)) % array_length($3::text[], 1))],
            CASE WHEN k = $2 THEN -5 ELSE 10 * k END, 100, DATE '2024-01-02', CASE WHEN k = $2 THEN 'SHORT' ELSE 'LONG' END
     FROM portfolios p CROSS JOIN generate_series(1, $2) k WHERE p.user_id = $1`,
    [ownerId, positions, SYMBOLS],
  );
  return (await db.query<{ id: string }>(`SELECT id FROM portfolios WHERE user_id = $1 ORDER BY id`, [ownerId])).map((r) => r.id);
}

/** Runs the migrations with the built app's code (as every process does at start), so a test can seed before starting any. */
export async function migrate(db: FaultDb): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('./dist/src/bootstrap').migrateWithLock(process.argv[1]).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`, db.url], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`migrations failed: ${err}`);
}

/** A user row straight in SQL (for books nobody logs in to). */
export async function insertUser(db: FaultDb, email: string): Promise<string> {
  const [r] = await db.query<{ id: string }>(`INSERT INTO users (email, password_hash, full_name) VALUES ($1, 'x', 'Fault user') RETURNING id`, [email]);
  return r.id;
}

// --- processes --------------------------------------------------------------

export type Role = 'all' | 'api' | 'worker';

export interface AppProcess {
  name: string;
  role: Role;
  pid: number;
  /** API base URL (null for a worker). */
  url: string | null;
  /** METRICS_PORT listener (every process of the harness has one). */
  metricsUrl: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  isAlive(): boolean;
  kill(signal: NodeJS.Signals): number;
  logs(): string;
}

const running = new Set<AppProcess>();
let tmpRoot: string | null = null;

function workDir(): string {
  tmpRoot ??= mkdtempSync(join(tmpdir(), 'sigmasight-fault-'));
  return tmpRoot;
}

/** Spawns the built app (worker entry for role worker) and waits until it answers (HTTP /health/ready, or the metrics port). */
export async function startProcess(opts: {
  name: string; role: Role; db: FaultDb; env?: Record<string, string>; readyTimeoutMs?: number; port?: number;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
}): Promise<AppProcess> {
  const port = opts.role === 'worker' ? null : (opts.port ?? (await freePort()));
  const metricsPort = await freePort();
  const logFile = join(workDir(), `${opts.name}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const entry = opts.role === 'worker' ? 'dist/src/worker.js' : 'dist/src/main.js';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...FAULT_ENV,
    DATABASE_URL: opts.db.url,
    DATA_DIR: join(workDir(), opts.name),
    PROCESS_ROLE: opts.role,
    HOST: '127.0.0.1',
    METRICS_PORT: String(metricsPort),
    ...(port !== null ? { PORT: String(port) } : {}),
    ...opts.env,
  };
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), entry], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  const p: AppProcess = {
    name: opts.name,
    role: opts.role,
    pid: child.pid!,
    url: port !== null ? `http://127.0.0.1:${port}` : null,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    child,
    logFile,
    exited,
    isAlive: () => alive,
    kill: (signal) => {
      const at = Date.now();
      if (alive) child.kill(signal);
      return at;
    },
    logs: () => readFileSync(logFile, 'utf8'),
  };
  running.add(p);
  void exited.then(() => running.delete(p));
  const readyUrl = p.url ? `${p.url}/health/ready` : `${p.metricsUrl}/health`;
  try {
    await waitFor(
      `${opts.name} to answer ${readyUrl}`,
      async () => {
        if (!alive) throw new Error(`${opts.name} exited during start-up:\n${p.logs().slice(-3000)}`);
        const res = await fetch(readyUrl).catch(() => null);
        return res?.status === 200;
      },
      opts.readyTimeoutMs ?? 60_000,
      100,
    );
  } catch (e) {
    p.kill('SIGKILL');
    throw e;
  }
  return p;
}

/** SIGKILLs every process still running (after each test). */
export async function killAll(): Promise<void> {
  const list = [...running];
  for (const p of list) p.kill('SIGKILL');
  await Promise.all(list.map((p) => p.exited));
}

/** Removes the processes' logs and data dirs, unless FAULT_KEEP_LOGS is set (then says where they are). */
export function cleanUpWorkDir(): void {
  if (tmpRoot && process.env.FAULT_KEEP_LOGS) log(`process logs kept in ${tmpRoot}`);
  else if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = null;
}

// --- HTTP --------------------------------------------------------------------

export interface HttpResult {
  status: number;
  body: any;
}

export async function http(method: string, url: string, opts: { token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<HttpResult> {
  const res = await fetch(url, {
    method,
    headers: { ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

export async function login(api: AppProcess, who: { email: string; password: string }): Promise<{ token: string; id: string }> {
  const res = await http('POST', `${api.url}/api/v1/auth/login`, { body: who });
  if (res.status !== 200) throw new Error(`login ${who.email}: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.access_token, id: res.body.user.id };
}

/** Registers the book owner through the API and logs in both the owner and the admin (ADMIN_EMAIL of the API process). */
export async function signIn(api: AppProcess): Promise<{ owner: { token: string; id: string }; admin: { token: string; id: string } }> {
  await http('POST', `${api.url}/api/v1/auth/register`, { body: { ...OWNER, full_name: 'Fault Owner' } });
  return { owner: await login(api, OWNER), admin: await login(api, ADMIN) };
}

/** An all-portfolios run (of `body`'s dates; default the latest trading day); its id. */
export async function triggerAll(api: AppProcess, adminToken: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await http('POST', `${api.url}/api/v1/admin/batch/run`, { token: adminToken, body });
  if (res.status !== 202) throw new Error(`trigger: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.batch_run_id;
}

// --- database views of a run --------------------------------------------------

export interface RunRow {
  id: string;
  status: string;
  error: string | null;
  current_phase: string | null;
  phases: Array<{ name: string; status: string; done: number; total: number }>;
  portfolios_total: number;
  heartbeat_at: Date | null;
  finished_at: Date | null;
}

export async function runRow(db: FaultDb, runId: string): Promise<RunRow> {
  const [r] = await db.query<RunRow>(`SELECT id, status, error, current_phase, phases, portfolios_total, heartbeat_at, finished_at FROM batch_runs WHERE id = $1`, [runId]);
  return r;
}

export async function waitForFinal(db: FaultDb, runId: string, timeoutMs: number): Promise<RunRow> {
  return waitFor(`run ${runId} to reach a final state`, async () => {
    const r = await runRow(db, runId);
    return FINAL.includes(r.status) ? r : undefined;
  }, timeoutMs, 200);
}

/** Waits until the run's `phase` has processed at least `minDone` portfolios. */
export async function waitForPhaseProgress(db: FaultDb, runId: string, phase: string, minDone: number, timeoutMs: number): Promise<RunRow> {
  return waitFor(`run ${runId}: ${phase} done >= ${minDone}`, async () => {
    const r = await runRow(db, runId);
    if (FINAL.includes(r.status)) throw new Error(`run ended (${r.status}: ${r.error}) before ${phase} reached ${minDone}`);
    const p = r.phases.find((x) => x.name === phase);
    return p && p.status === 'running' && p.done >= minDone ? r : undefined;
  }, timeoutMs, 50);
}

/** What the run left in the result tables: every portfolio once, and nothing twice. */
export async function resultCounts(db: FaultDb, runId: string): Promise<{
  results: number; distinctResults: number; completed: number; failed: number;
  snapshots: number; distinctSnapshots: number; risk: number; chunkRetries: number; chunks: number;
}> {
  const [r] = await db.query(
    `SELECT
       (SELECT count(*) FROM batch_run_portfolios WHERE batch_run_id = $1)::int AS results,
       (SELECT count(DISTINCT portfolio_id) FROM batch_run_portfolios WHERE batch_run_id = $1)::int AS "distinctResults",
       (SELECT count(*) FROM batch_run_portfolios WHERE batch_run_id = $1 AND status = 'completed')::int AS completed,
       (SELECT count(*) FROM batch_run_portfolios WHERE batch_run_id = $1 AND status = 'failed')::int AS failed,
       (SELECT count(*) FROM portfolio_snapshots WHERE batch_run_id = $1)::int AS snapshots,
       (SELECT count(DISTINCT (portfolio_id, snapshot_date)) FROM portfolio_snapshots WHERE batch_run_id = $1)::int AS "distinctSnapshots",
       (SELECT count(*) FROM portfolio_risk WHERE batch_run_id = $1)::int AS risk,
       (SELECT coalesce(sum(attempts - 1), 0) FROM batch_run_chunks WHERE batch_run_id = $1)::int AS "chunkRetries",
       (SELECT count(*) FROM batch_run_chunks WHERE batch_run_id = $1)::int AS chunks`,
    [runId],
  );
  return r as any;
}

/** A process's METRICS_PORT /health: its role and the jobs in hand with their ages. */
export async function processHealth(p: AppProcess): Promise<{ role: string; pid: number; jobs_in_flight: Array<{ queue: string; id: string; age_ms: number }> }> {
  return (await fetch(`${p.metricsUrl}/health`, { signal: AbortSignal.timeout(5000) })).json() as Promise<any>;
}

/** Duration of the run's chunk jobs (pg-boss started_on → completed_on), in ms. */
export async function chunkJobDurations(db: FaultDb, runId: string): Promise<{ n: number; p50: number; max: number }> {
  const [r] = await db.query(
    `SELECT count(*)::int AS n,
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_on - started_on)), 0) * 1000 AS p50,
       coalesce(max(extract(epoch FROM completed_on - started_on)), 0) * 1000 AS max
     FROM pgboss.job WHERE name = 'batch-chunk' AND data->>'runId' = $1 AND state = 'completed'`,
    [runId],
  );
  return { n: r.n, p50: Math.round(Number(r.p50)), max: Math.round(Number(r.max)) };
}

/** One process's metric value (first sample matching name and labels) from its METRICS_PORT. */
export async function metric(p: AppProcess, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${p.metricsUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) || (!labels && l.startsWith(`${name}{`)));
  if (!line) throw new Error(`metric ${name}{${labels}} not found`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * Fault-test harness: real OS processes of the built app (`node dist/src/...`)
 * on a fresh database of the PostgreSQL server in TEST_DATABASE_URL, seeded
 * with bulk SQL, driven over HTTP, killed with real signals.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultDb } from './fault-db';
import { ADMIN, FAULT_ENV, freePort, log, OWNER, ROOT, waitFor } from './fault-common';

export * from './fault-common';
export * from './fault-db';

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
      opts.readyTimeoutMs ?? 180_000,
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

export async function processHealth(p: AppProcess): Promise<{ role: string; pid: number; jobs_in_flight: Array<{ queue: string; id: string; age_ms: number }> }> {
  return (await fetch(`${p.metricsUrl}/health`, { signal: AbortSignal.timeout(5000) })).json() as Promise<any>;
}

/** One process's metric value (first sample matching name and labels) from its METRICS_PORT. */
export async function metric(p: AppProcess, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${p.metricsUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) || (!labels && l.startsWith(`${name}{`)));
  if (!line) throw new Error(`metric ${name}{${labels}} not found`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Fault suite: settings, waiting and ports shared by the harness modules. */
import { createServer } from 'node:net';

export const ROOT = process.cwd();
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const JWT_SECRET = 'fault-secret-fault-secret-fault-secret-0123';
export const ADMIN = { email: 'admin@fault.example.com', password: 'admin-password-123' };
export const OWNER = { email: 'owner@fault.example.com', password: 'owner-password-123' };
export const METRICS_TOKEN = 'fault-metrics-token-0123456789';
export const FINAL = ['completed', 'partial', 'failed', 'cancelled'];

/**
 * Settings every process of a fault test gets. Leases, heartbeats and the
 * stale limit are the DEFAULTS (BATCH_CHUNK_LEASE_SECONDS 10,
 * BATCH_HEARTBEAT_SECONDS 2, BATCH_STALE_SECONDS 15): the recovery times the
 * suite measures are the ones a deployment gets.
 */
export const FAULT_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  JWT_SECRET,
  BATCH_CRON_ENABLED: 'false',
  BATCH_CHUNK_SIZE: '50',
  SHUTDOWN_GRACE_SECONDS: '8',
  LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  METRICS_TOKEN,
};

/** The defaults the suite runs at (see src/config/settings.ts). */
export const DEFAULTS = { leaseSeconds: 10, heartbeatSeconds: 2, staleSeconds: 15 };

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


import { isIP } from 'node:net';
import { adminPasswordProblem } from '../auth/password-policy';

/**
 * Every setting the service reads, with its default and its check. Parsed once
 * at start; a bad value stops the process with a message naming the setting.
 */
export type ProcessRole = 'all' | 'api' | 'worker';
export type MarketDataProviderName = 'synthetic' | 'csv' | 'polygon';
export type TrustProxy = boolean | number | string[];

export interface AppSettings {
  nodeEnv: string;
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  jwtSecret: string | null;
  jwtExpiresInSeconds: number;
  registrationOpen: boolean;
  adminEmail: string | null;
  adminPassword: string | null;
  seedDemoData: boolean | null;
  corsOrigins: string[];
  logLevel: string;
  /** Login attempts per client address per minute (every attempt counts), across all API processes. */
  loginRateLimitPerMinute: number;
  /** Cap of the per-account delay that grows with each failed login (seconds). */
  loginBackoffMaxSeconds: number;
  /** Registrations per client address per hour, across all API processes. */
  registerRateLimitPerHour: number;
  /** Express 'trust proxy': false (default), true, a hop count, or addresses/subnets of the proxies. */
  trustProxy: TrustProxy;
  marketDataProvider: MarketDataProviderName;
  marketDataCsvDir: string;
  syntheticSeed: number;
  polygonApiKey: string | null;
  polygonBaseUrl: string;
  polygonRequestsPerMinute: number;
  riskFreeRate: number;
  defaultImpliedVolatility: number;
  batchCronEnabled: boolean;
  batchCron: string;
  batchTimezone: string;
  batchCatchUpMaxDays: number;
  batchStaleSeconds: number;
  batchHeartbeatSeconds: number;
  batchChunkSize: number;
  /** Batch runs (with their chunks, results and events) finished longer ago than this are pruned daily; 0 keeps them all. */
  batchRetentionDays: number;
  /** Lease a worker takes on a chunk, renewed every third of it while its process lives; an expired lease is taken over. */
  batchChunkLeaseSeconds: number;
  /** Most trading days a portfolio's snapshots may be recomputed in one run (from its first transaction or a stale date). */
  ledgerMaxRecomputeDays: number;
  /** Lease of a chunk job: one not finished after this (its worker died) is retried elsewhere. */
  batchChunkExpireSeconds: number;
  processRole: ProcessRole;
  /** On SIGTERM/SIGINT: how long jobs in hand may take to finish before they are handed back. */
  shutdownGraceSeconds: number;
  /** Bearer token accepted by GET /metrics (besides an admin's JWT); null: admin JWT only. */
  metricsToken: string | null;
  /** A separate plain-HTTP listener for /metrics and /health (any role, workers too); null: none. */
  metricsPort: number | null;
  metricsHost: string;
  /** Webhooks may target loopback/private/link-local addresses (default: true unless NODE_ENV=production). */
  webhookAllowPrivateTargets: boolean;
  /** Timeout of one webhook request (connect to the end of the answer). */
  webhookTimeoutMs: number;
  /** Retries of a failed webhook delivery (pg-boss), with exponential backoff from webhookRetryDelaySeconds. */
  webhookRetryLimit: number;
  webhookRetryDelaySeconds: number;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optional(name: string): string | null {
    return this.raw(name) ?? null;
  }

  number(name: string, fallback: number, min: number, max: number, integer = false): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      this.problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${v}"`);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean;
  boolean(name: string, fallback: null): boolean | null;
  boolean(name: string, fallback: boolean | null): boolean | null {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    this.problems.push(`${name} must be true or false, got "${v}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${v}"`);
      return fallback;
    }
    return v as T;
  }

  check(ok: boolean, message: string): void {
    if (!ok) this.problems.push(message);
  }
}

function validPostgresUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: true/false, a hop count, or a comma list of proxy addresses, subnets (CIDR) and names. */
function trustProxy(r: Reader): TrustProxy {
  const raw = r.optional('TRUST_PROXY');
  if (raw === null || ['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => !PROXY_NAMES.includes(e) && isIP(e.replace(/\/\d{1,3}$/, '')) === 0);
  r.check(bad.length === 0, `TRUST_PROXY must be true, false, a hop count or a comma list of addresses, subnets and ${PROXY_NAMES.join('/')}; not "${bad.join(', ')}"`);
  return bad.length === 0 ? entries : false;
}

/**
 * No default credentials: an admin password must pass the account password
 * rules and must not be one printed in the README; production refuses demo
 * seeding (its accounts have published passwords).
 */
function credentialProblems(r: Reader, nodeEnv: string, adminPassword: string | null, seedDemoData: boolean | null): void {
  const problem = adminPassword === null ? null : adminPasswordProblem(adminPassword);
  if (problem !== null) r.check(false, `ADMIN_PASSWORD ${problem}`);
  if (nodeEnv === 'production') {
    r.check(seedDemoData !== true, 'SEED_DEMO_DATA=true is not allowed when NODE_ENV=production: the demo accounts have passwords published in the README');
  }
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads and checks all settings; throws SettingsError listing every problem. */
export function loadSettings(env: Env = process.env): AppSettings {
  const r = new Reader(env);
  const nodeEnv = r.string('NODE_ENV', 'development');
  const databaseUrl = r.optional('DATABASE_URL');
  if (databaseUrl !== null) {
    r.check(validPostgresUrl(databaseUrl), 'DATABASE_URL must be a postgres:// or postgresql:// URL with a host');
  }
  const jwtSecret = r.optional('JWT_SECRET');
  if (nodeEnv === 'production') {
    r.check(jwtSecret !== null, 'JWT_SECRET is required when NODE_ENV=production');
  }
  if (jwtSecret !== null) r.check(jwtSecret.length >= 32, 'JWT_SECRET must be at least 32 characters');
  const adminEmail = r.optional('ADMIN_EMAIL');
  const adminPassword = r.optional('ADMIN_PASSWORD');
  r.check((adminEmail === null) === (adminPassword === null), 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  const seedDemoData = r.boolean('SEED_DEMO_DATA', null);
  credentialProblems(r, nodeEnv, adminPassword, seedDemoData);
  const provider = r.oneOf<MarketDataProviderName>('MARKET_DATA_PROVIDER', 'synthetic', ['synthetic', 'csv', 'polygon']);
  const polygonApiKey = r.optional('POLYGON_API_KEY');
  if (provider === 'polygon') r.check(polygonApiKey !== null, 'POLYGON_API_KEY is required when MARKET_DATA_PROVIDER=polygon');
  const batchTimezone = r.string('BATCH_TIMEZONE', 'America/New_York');
  r.check(validTimeZone(batchTimezone), `BATCH_TIMEZONE must be an IANA time zone, got "${batchTimezone}"`);
  const batchCron = r.string('BATCH_CRON', '30 18 * * 1-5');
  r.check(/^(\S+\s+){4,5}\S+$/.test(batchCron), `BATCH_CRON must be a cron expression with 5 or 6 fields, got "${batchCron}"`);

  const settings: AppSettings = {
    nodeEnv,
    port: r.number('PORT', 3000, 0, 65535, true),
    host: r.string('HOST', '0.0.0.0'),
    databaseUrl,
    dataDir: r.string('DATA_DIR', './.data'),
    jwtSecret,
    jwtExpiresInSeconds: r.number('JWT_EXPIRES_IN_SECONDS', 3600, 60, 30 * 86400, true),
    registrationOpen: r.boolean('REGISTRATION_OPEN', true),
    adminEmail: adminEmail?.toLowerCase() ?? null,
    adminPassword,
    seedDemoData,
    corsOrigins: (r.optional('CORS_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: r.oneOf('LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    loginRateLimitPerMinute: r.number('LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 100000, true),
    loginBackoffMaxSeconds: r.number('LOGIN_BACKOFF_MAX_SECONDS', 60, 1, 3600, true),
    registerRateLimitPerHour: r.number('REGISTER_RATE_LIMIT_PER_HOUR', 20, 1, 100000, true),
    trustProxy: trustProxy(r),
    marketDataProvider: provider,
    marketDataCsvDir: r.string('MARKET_DATA_CSV_DIR', './market-data'),
    syntheticSeed: r.number('SYNTHETIC_SEED', 42, 0, 2 ** 31, true),
    polygonApiKey,
    polygonBaseUrl: r.string('POLYGON_BASE_URL', 'https://api.polygon.io'),
    polygonRequestsPerMinute: r.number('POLYGON_REQUESTS_PER_MINUTE', 5, 1, 100000, true),
    riskFreeRate: r.number('RISK_FREE_RATE', 0, -0.05, 0.5),
    defaultImpliedVolatility: r.number('DEFAULT_IMPLIED_VOLATILITY', 0.3, 0.01, 5),
    batchCronEnabled: r.boolean('BATCH_CRON_ENABLED', true),
    batchCron,
    batchTimezone,
    batchCatchUpMaxDays: r.number('BATCH_CATCHUP_MAX_DAYS', 5, 0, 60, true),
    batchStaleSeconds: r.number('BATCH_STALE_SECONDS', 15, 3, 86400, true),
    batchHeartbeatSeconds: r.number('BATCH_HEARTBEAT_SECONDS', 2, 1, 3600, true),
    batchChunkSize: r.number('BATCH_CHUNK_SIZE', 250, 1, 100000, true),
    batchRetentionDays: r.number('BATCH_RETENTION_DAYS', 90, 0, 36500, true),
    batchChunkLeaseSeconds: r.number('BATCH_CHUNK_LEASE_SECONDS', 10, 2, 3600, true),
    ledgerMaxRecomputeDays: r.number('LEDGER_MAX_RECOMPUTE_DAYS', 1300, 1, 20000, true),
    batchChunkExpireSeconds: 0, // set below: its default follows BATCH_STALE_SECONDS
    processRole: r.oneOf<ProcessRole>('PROCESS_ROLE', 'all', ['all', 'api', 'worker']),
    shutdownGraceSeconds: r.number('SHUTDOWN_GRACE_SECONDS', 20, 1, 3600, true),
    metricsToken: r.optional('METRICS_TOKEN'),
    metricsPort: r.optional('METRICS_PORT') === null ? null : r.number('METRICS_PORT', 0, 0, 65535, true),
    metricsHost: r.string('METRICS_HOST', '127.0.0.1'),
    webhookAllowPrivateTargets: r.boolean('WEBHOOK_ALLOW_PRIVATE_TARGETS', nodeEnv !== 'production'),
    webhookTimeoutMs: r.number('WEBHOOK_TIMEOUT_MS', 5000, 100, 60000, true),
    webhookRetryLimit: r.number('WEBHOOK_RETRY_LIMIT', 8, 0, 20, true),
    webhookRetryDelaySeconds: r.number('WEBHOOK_RETRY_DELAY_SECONDS', 10, 1, 3600, true),
  };
  settings.batchChunkExpireSeconds = r.number('BATCH_CHUNK_EXPIRE_SECONDS', Math.max(30, settings.batchStaleSeconds), 5, 86400, true);
  if (settings.metricsToken !== null) r.check(settings.metricsToken.length >= 16, 'METRICS_TOKEN must be at least 16 characters');
  r.check(settings.batchHeartbeatSeconds * 2 <= settings.batchStaleSeconds, 'BATCH_STALE_SECONDS must be at least twice BATCH_HEARTBEAT_SECONDS');
  if (r.problems.length > 0) throw new SettingsError(r.problems);
  return settings;
}

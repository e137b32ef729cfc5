import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { sqlRows } from '../database/sql';

/** How long an account remembers its failed logins after the last one. */
const FAILURE_MEMORY_SECONDS = 86_400;
/** How long an address that signed in to an account stays trusted by it. */
const KNOWN_ADDRESS_SECONDS = 30 * 86_400;

const tooMany = (message: string, retryAfter: number) =>
  new DomainError('too_many_requests', message, { retry_after_seconds: Math.max(1, Math.ceil(retryAfter)) });

/** How an attempt got past the account backoff: in its turn, or through an address the account trusts. */
export type Admission = 'admitted' | 'trusted';

/** Failed logins in a row an account takes without delay (typos). */
export const FREE_FAILURES = 2;

/** SQL: the wait after the n-th failure in a row: none for the first FREE_FAILURES, then 2, 4, 8 ... s, capped. */
const backoffSeconds = (n: string, cap: string) => `(CASE WHEN ${n} <= ${FREE_FAILURES} THEN 0 ELSE least(power(2, ${n} - ${FREE_FAILURES}), ${cap}) END)`;

/** Accounts are keyed by a digest of the email: attempted addresses of people without an account are not stored. */
export const accountKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);

/**
 * Login and registration limits, kept in PostgreSQL (auth_rate_limits) so every
 * API process shares them; each check is one atomic upsert, timed by the
 * database clock.
 *
 * - Per client address: LOGIN_RATE_LIMIT_PER_MINUTE login attempts a minute and
 *   REGISTER_RATE_LIMIT_PER_HOUR registrations an hour (fixed windows).
 * - Per account: the first FREE_FAILURES failed logins in a row cost nothing;
 *   after the n-th the account takes its next attempt only 2^(n-2) s later,
 *   capped at LOGIN_BACKOFF_MAX_SECONDS. Each attempt claims the account
 *   (at least 1 s, or the wait its failure would earn) before the password is
 *   checked, so parallel guesses cannot share a slot. A success clears it all.
 * - The owner is not locked out: during a backoff, an address that signed in to
 *   the account before (last 30 days) and has not failed on it since is let
 *   through; any other caller waits at most LOGIN_BACKOFF_MAX_SECONDS.
 */
@Injectable()
export class AuthRateLimiter {
  private readonly logger = new Logger('AuthRateLimiter');

  constructor(
    private readonly db: DataSource,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  /** Counts a login attempt from the address; 429 once over the per-minute limit. */
  async hitLoginAddress(address: string): Promise<void> {
    await this.hitWindow(`login-ip:${address}`, 60, this.settings.loginRateLimitPerMinute, 'Too many login attempts; try again later');
  }

  /** Counts a registration from the address; 429 once over the per-hour limit. */
  async hitRegisterAddress(address: string): Promise<void> {
    await this.hitWindow(`register-ip:${address}`, 3600, this.settings.registerRateLimitPerHour, 'Too many registrations; try again later');
  }

  /**
   * Claims the account's next attempt before its password is checked; 429 with
   * the wait when the account is in backoff and the address is not trusted by it.
   */
  async admitAccountAttempt(email: string, address: string): Promise<Admission> {
    const key = `account:${accountKey(email)}`;
    const admitted = await sqlRows(
      this.db,
      `INSERT INTO auth_rate_limits AS l (key, hits, window_start, blocked_until, expires_at)
       VALUES ($1, 0, now(), now() + interval '1 second', now() + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN l.expires_at <= now() THEN 0 ELSE l.hits END,
         blocked_until = now() + make_interval(secs => greatest(1, ${backoffSeconds('CASE WHEN l.expires_at <= now() THEN 1 ELSE l.hits + 1 END', '$2')}))
       WHERE l.blocked_until <= now() OR l.expires_at <= now()
       RETURNING 1`,
      [key, this.settings.loginBackoffMaxSeconds, FAILURE_MEMORY_SECONDS],
    );
    if (admitted.length > 0) return 'admitted';
    const [state] = await sqlRows(
      this.db,
      `SELECT extract(epoch FROM (blocked_until - now()))::float8 AS wait,
              EXISTS (SELECT 1 FROM auth_rate_limits k WHERE k.key = $2 AND k.expires_at > now()) AS known
       FROM auth_rate_limits WHERE key = $1`,
      [key, `known:${accountKey(email)}:${address}`],
    );
    if (!state) return 'admitted';
    if (state.known) return 'trusted';
    throw tooMany('Too many failed logins for this account; try again later', Number(state.wait));
  }

  /** A failed login: the account's next attempt waits longer, and the address is no longer trusted by it. */
  async recordFailure(email: string, address: string): Promise<void> {
    const account = accountKey(email);
    await sqlRows(
      this.db,
      `INSERT INTO auth_rate_limits AS l (key, hits, window_start, blocked_until, expires_at)
       VALUES ($1, 1, now(), now(), now() + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET
         hits = l.hits + 1,
         window_start = now(),
         blocked_until = now() + make_interval(secs => ${backoffSeconds('l.hits + 1', '$2')}),
         expires_at = now() + make_interval(secs => $3)`,
      [`account:${account}`, this.settings.loginBackoffMaxSeconds, FAILURE_MEMORY_SECONDS],
    );
    await sqlRows(this.db, `DELETE FROM auth_rate_limits WHERE key = $1`, [`known:${account}:${address}`]);
  }

  /**
   * A successful login: the address is trusted by the account, and the
   * account's failures are forgotten, unless the attempt came in through a
   * trusted address during a backoff (the owner signing in must not hand an
   * attacker elsewhere a fresh set of fast guesses).
   */
  async recordSuccess(email: string, address: string, admission: Admission): Promise<void> {
    const account = accountKey(email);
    if (admission === 'admitted') await sqlRows(this.db, `DELETE FROM auth_rate_limits WHERE key = $1`, [`account:${account}`]);
    await sqlRows(
      this.db,
      `INSERT INTO auth_rate_limits (key, hits, window_start, expires_at) VALUES ($1, 1, now(), now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET window_start = now(), expires_at = excluded.expires_at`,
      [`known:${account}:${address}`, KNOWN_ADDRESS_SECONDS],
    );
  }

  private async hitWindow(key: string, windowSeconds: number, limit: number, message: string): Promise<void> {
    const [row] = await sqlRows(
      this.db,
      `INSERT INTO auth_rate_limits AS l (key, hits, window_start, expires_at)
       VALUES ($1, 1, now(), now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN l.expires_at <= now() THEN 1 ELSE l.hits + 1 END,
         window_start = CASE WHEN l.expires_at <= now() THEN now() ELSE l.window_start END,
         expires_at = CASE WHEN l.expires_at <= now() THEN now() + make_interval(secs => $2) ELSE l.expires_at END
       RETURNING hits, extract(epoch FROM (expires_at - now()))::float8 AS wait`,
      [key, windowSeconds],
    );
    if (Math.random() < 0.01) this.sweep();
    if (Number(row.hits) > limit) throw tooMany(message, Number(row.wait));
  }

  /** Drops rows nobody needs any more; occasional, in the background. */
  private sweep(): void {
    sqlRows(this.db, `DELETE FROM auth_rate_limits WHERE expires_at < now() AND (blocked_until IS NULL OR blocked_until < now())`).catch((err) =>
      this.logger.warn(`auth_rate_limits sweep failed: ${(err as Error).message}`),
    );
  }
}

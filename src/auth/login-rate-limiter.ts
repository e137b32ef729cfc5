import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';

const WINDOW_MS = 60_000;

/**
 * Fixed-window limit on login attempts per client address and per email, so
 * neither one address nor a distributed guess at one account gets far.
 * Per process: with N API processes the effective limit is N times higher.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();

  constructor(@Inject(SETTINGS) private readonly settings: AppSettings) {}

  /** Counts an attempt; throws 429 with Retry-After seconds once over the limit. */
  check(clientAddress: string, email: string, now = Date.now()): void {
    this.sweep(now);
    for (const key of [`ip:${clientAddress}`, `email:${email.toLowerCase()}`]) {
      const entry = this.hits.get(key);
      if (!entry || now - entry.windowStart >= WINDOW_MS) {
        this.hits.set(key, { windowStart: now, count: 1 });
        continue;
      }
      entry.count += 1;
      if (entry.count > this.settings.loginRateLimitPerMinute) {
        const retryAfter = Math.ceil((entry.windowStart + WINDOW_MS - now) / 1000);
        throw new DomainError('too_many_requests', 'Too many login attempts; try again later', { retry_after_seconds: retryAfter });
      }
    }
  }

  private sweep(now: number): void {
    if (this.hits.size < 10_000) return;
    for (const [key, entry] of this.hits) if (now - entry.windowStart >= WINDOW_MS) this.hits.delete(key);
  }
}

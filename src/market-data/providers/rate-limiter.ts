/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export interface RateLimiter {
  /** Resolves when one more request may be sent. */
  acquire(): Promise<void>;
}

/**
 * At most `maxRequests` acquisitions in any sliding window of `windowMs`
 * (exact, unlike a token bucket, which can allow up to twice the rate across
 * a window boundary). Callers are served in order; `maxRequests` of 0 or
 * Infinity means no limit.
 */
export class SlidingWindowRateLimiter implements RateLimiter {
  private readonly stamps: number[] = [];
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly maxRequests: number,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    if (!(maxRequests >= 0) || (Number.isFinite(maxRequests) && !Number.isInteger(maxRequests))) {
      throw new RangeError(`maxRequests must be a non-negative integer or Infinity, got ${maxRequests}`);
    }
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
  }

  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.takeSlot());
    // the caller gets `turn` (and its error); the queue only needs to know it is over
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async takeSlot(): Promise<void> {
    if (this.maxRequests === 0 || !Number.isFinite(this.maxRequests)) return;
    for (;;) {
      const now = this.clock();
      while (this.stamps.length > 0 && this.stamps[0] <= now - this.windowMs) this.stamps.shift();
      if (this.stamps.length < this.maxRequests) {
        this.stamps.push(now);
        return;
      }
      await this.wait(this.stamps[0] + this.windowMs - now);
    }
  }
}

import { errorText } from './phases/phase-result';

/**
 * A dropped or refused database connection (failover, restart, a terminated
 * backend): the pool reconnects on the next statement, so it is worth a retry.
 */
export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : '';
  return (
    code.startsWith('08') || // connection_exception
    ['57P01', '57P02', '57P03', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code) ||
    /Connection terminated|terminating connection|connection timeout|Client has encountered a connection error|Connection ended/i.test(message)
  );
}

/**
 * How long lock timeouts are retried: past the longest a dead or frozen
 * process can hold a row (the server's idle-in-transaction timeout, 20 s),
 * so a completion waits it out instead of failing its attempt (then the
 * chunk would wait for a queue retry and its lease to expire).
 */
export const LOCK_RETRY_MS = 60_000;

/** A lock wait cut short by `lock_timeout` (the run row held by a frozen process, say): the transaction rolled back, worth a retry. */
export function isLockTimeout(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === '55P03';
}

/**
 * Runs a batch statement (or transaction), retrying while the database
 * connection is being re-established (up to `withinMs`) or while a bounded
 * lock wait times out (up to LOCK_RETRY_MS at least): neither fails a chunk
 * or a run. Only for idempotent or fenced work.
 */
export async function retryOnDropped<T>(fn: () => Promise<T>, withinMs: number, onRetry: (e: unknown) => void = () => undefined): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const lock = isLockTimeout(e);
      if (!(lock || isConnectionError(e)) || Date.now() - started > (lock ? Math.max(withinMs, LOCK_RETRY_MS) : withinMs)) throw e;
      onRetry(e);
      await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
    }
  }
}

/** The `onRetry` of a batch step: one warning saying what is being waited out. */
export function warnRetry(logger: { warn(message: string): void }): (e: unknown) => void {
  return (e) => logger.warn(`${isLockTimeout(e) ? 'the run row stayed locked' : 'database connection lost'} (${errorText(e)}); retrying`);
}

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

/** A lock wait cut short by `lock_timeout` (the run row held by a frozen process, say): the transaction rolled back, worth a retry. */
export function isLockTimeout(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === '55P03';
}

/**
 * Runs a batch statement (or transaction), retrying while the database
 * connection is being re-established or a bounded lock wait timed out, up to
 * `withinMs`: neither fails a chunk or a run. Only for idempotent or fenced
 * work.
 */
export async function retryOnDropped<T>(fn: () => Promise<T>, withinMs: number, onRetry: (e: unknown) => void = () => undefined): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(isConnectionError(e) || isLockTimeout(e)) || Date.now() > deadline) throw e;
      onRetry(e);
      await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
    }
  }
}

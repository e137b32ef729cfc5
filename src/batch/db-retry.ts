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
 * Runs a batch statement (or transaction), retrying while the database
 * connection is being re-established, up to `withinMs`: a dropped connection
 * does not fail a chunk or a run. Only for idempotent or fenced work.
 */
export async function retryOnDropped<T>(fn: () => Promise<T>, withinMs: number, onRetry: (e: unknown) => void = () => undefined): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isConnectionError(e) || Date.now() > deadline) throw e;
      onRetry(e);
      await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
    }
  }
}

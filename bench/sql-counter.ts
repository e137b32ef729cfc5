import pg from 'pg';

/**
 * Counts the SQL statements every `pg` client of this process sends (TypeORM
 * and pg-boss both use this `pg` module) by wrapping `Client.prototype.query`.
 * Each statement is kept as (time, source) so a run's phases can be counted
 * afterwards from their start and finish times. The bench's own clients are
 * marked with `uncounted` and left out.
 */
const UNCOUNTED = Symbol('sigmasight-bench-uncounted');

export type SqlSource = 'app' | 'pg-boss' | 'other';

class SqlLog {
  times: number[] = [];
  sources: SqlSource[] = [];

  /** Statements in [from, to] (ms since the epoch), by source. */
  between(from: number, to: number): Record<SqlSource | 'total', number> {
    const out = { app: 0, 'pg-boss': 0, other: 0, total: 0 };
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i];
      if (t < from || t > to) continue;
      out[this.sources[i]]++;
      out.total++;
    }
    return out;
  }

  /** Forgets statements before `t` (keeps the log small between measurements). */
  dropBefore(t: number): void {
    let k = 0;
    while (k < this.times.length && this.times[k] < t) k++;
    this.times = this.times.slice(k);
    this.sources = this.sources.slice(k);
  }
}

export const sqlLog = new SqlLog();
let installed = false;

export function installSqlCounter(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function countedQuery(this: Record<symbol | string, unknown>, ...args: unknown[]) {
    if (!this[UNCOUNTED]) {
      const name = String((this.connectionParameters as { application_name?: string } | undefined)?.application_name ?? '');
      sqlLog.times.push(Date.now());
      sqlLog.sources.push(name.includes('pgboss') ? 'pg-boss' : name.startsWith('sigmasight') ? 'app' : 'other');
    }
    return original.apply(this, args);
  };
}

/** Marks a client whose statements are the bench's own, not the app's. */
export function uncounted<T extends object>(client: T): T {
  (client as Record<symbol, unknown>)[UNCOUNTED] = true;
  return client;
}

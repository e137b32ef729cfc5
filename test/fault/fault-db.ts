/** Fault suite: a fresh database per test file, bulk seeding, and reading run state. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { FINAL, ROOT, SERVER_URL, waitFor } from './fault-common';

export interface FaultDb {
  name: string;
  url: string;
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A separate session (e.g. to hold a lock in a transaction). */
  connect(): Promise<{ query(sql: string, params?: unknown[]): Promise<unknown>; release(): void }>;
  drop(): Promise<void>;
}

export async function createFaultDatabase(label: string): Promise<FaultDb> {
  const name = `sigmasight_fault_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString(), application_name: 'fault-harness' });
  await client.connect();
  client.on('error', () => undefined);
  return {
    name,
    url: url.toString(),
    query: async (sql, params = []) => (await client.query(sql, params)).rows,
    connect: async () => {
      const session = new Client({ connectionString: url.toString(), application_name: 'fault-harness-session' });
      await session.connect();
      session.on('error', () => undefined);
      return { query: (sql: string, params: unknown[] = []) => session.query(sql, params), release: () => void session.end().catch(() => undefined) };
    },
    drop: async () => {
      await client.end().catch(() => undefined);
      const c = new Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'META', 'NVDA', 'JPM', 'XOM', 'JNJ', 'PG', 'KO', 'PEP', 'WMT', 'DIS', 'NFLX', 'INTC', 'AMD', 'CSCO', 'ORCL', 'IBM',
  'BA', 'CAT', 'GE', 'MMM', 'HD', 'LOW', 'NKE', 'SBUX', 'MCD', 'V', 'MA', 'PYPL', 'CRM', 'ADBE', 'T', 'VZ', 'CVX', 'PFE', 'MRK', 'ABBV'];

/**
 * `count` portfolios of `positions` stocks each (one short), owned by `ownerId`,
 * by two INSERT ... SELECT statements, booked on `since` (the suites pass their first run
 * date, so a run books exactly its own dates; default ten days ago). Returns the portfolio ids, ordered.
 */
export async function seedBook(db: FaultDb, ownerId: string, count: number, positions = 3, since: string | null = null): Promise<string[]> {
  await db.query(
    `INSERT INTO portfolios (user_id, name, cash_balance) SELECT $1, 'Fault book ' || g, 10000 FROM generate_series(1, $2) g`,
    [ownerId, count],
  );
  await db.query(
    // the ledger (DESIGN §8): one holding per (symbol, direction), each row a TRANSFER_IN into it, the cash a DEPOSIT
    `WITH r AS (SELECT p.id AS pid, ($3::text[])[1 + (abs(hashtext(p.id::text || k)) % array_length($3::text[], 1))] AS symbol,
                  CASE WHEN k = $2 THEN 5 ELSE 10 * k END AS q, CASE WHEN k = $2 THEN 'SHORT' ELSE 'LONG' END AS type
                FROM portfolios p CROSS JOIN generate_series(1, $2) k WHERE p.user_id = $1),
          h AS (INSERT INTO positions (portfolio_id, symbol, position_type) SELECT DISTINCT pid, symbol, type FROM r
                RETURNING id, portfolio_id, symbol, position_type),
          d AS (INSERT INTO transactions (portfolio_id, type, trade_date, amount)
                SELECT id, 'DEPOSIT', coalesce($4::date, current_date - 10), cash_balance FROM portfolios WHERE user_id = $1 AND cash_balance > 0)
     INSERT INTO transactions (portfolio_id, position_id, type, trade_date, quantity, price)
     SELECT r.pid, h.id, 'TRANSFER_IN', coalesce($4::date, current_date - 10), r.q, 100 FROM r JOIN h ON h.portfolio_id = r.pid AND h.symbol = r.symbol AND h.position_type = r.type`,
    [ownerId, positions, SYMBOLS, since],
  );
  return (await db.query<{ id: string }>(`SELECT id FROM portfolios WHERE user_id = $1 ORDER BY id`, [ownerId])).map((r) => r.id);
}

/** Runs the migrations with the built app's code (as every process does at start), so a test can seed before starting any. */
export async function migrate(db: FaultDb): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('./dist/src/bootstrap').migrateWithLock(process.argv[1]).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`, db.url], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`migrations failed: ${err}`);
}

/** A user row straight in SQL (for books nobody logs in to). */
export async function insertUser(db: FaultDb, email: string): Promise<string> {
  const [r] = await db.query<{ id: string }>(`INSERT INTO users (email, password_hash, full_name) VALUES ($1, 'x', 'Fault user') RETURNING id`, [email]);
  return r.id;
}

// --- processes --------------------------------------------------------------


export interface RunRow {
  id: string;
  status: string;
  error: string | null;
  current_phase: string | null;
  phases: Array<{ name: string; status: string; done: number; total: number }>;
  portfolios_total: number;
  heartbeat_at: Date | null;
  finished_at: Date | null;
  current_date_index: number;
}

export async function runRow(db: FaultDb, runId: string): Promise<RunRow> {
  const [r] = await db.query<RunRow>(`SELECT id, status, error, current_phase, phases, portfolios_total, heartbeat_at, finished_at, current_date_index FROM batch_runs WHERE id = $1`, [runId]);
  return r;
}

export async function waitForFinal(db: FaultDb, runId: string, timeoutMs: number): Promise<RunRow> {
  return waitFor(`run ${runId} to reach a final state`, async () => {
    const r = await runRow(db, runId);
    return FINAL.includes(r.status) ? r : undefined;
  }, timeoutMs, 200);
}

/** Waits until the run's `phase` has processed at least `minDone` portfolios. */
export async function waitForPhaseProgress(db: FaultDb, runId: string, phase: string, minDone: number, timeoutMs: number, dateIndex = 0): Promise<RunRow> {
  return waitFor(`run ${runId}: ${phase} done >= ${minDone} on date #${dateIndex}`, async () => {
    const r = await runRow(db, runId);
    if (FINAL.includes(r.status)) throw new Error(`run ended (${r.status}: ${r.error}) before ${phase} reached ${minDone}`);
    const p = r.phases.find((x) => x.name === phase);
    return r.current_date_index >= dateIndex && p && p.status === 'running' && p.done >= minDone ? r : undefined;
  }, timeoutMs, 50);
}

/** What the run left in the result tables: every portfolio once, and nothing twice. */
export async function resultCounts(db: FaultDb, runId: string): Promise<{
  results: number; distinctResults: number; completed: number; failed: number;
  snapshots: number; distinctSnapshots: number; risk: number; distinctRisk: number; chunkRetries: number; chunks: number;
}> {
  const [r] = await db.query(
    `SELECT
       (SELECT count(*) FROM batch_run_portfolios WHERE batch_run_id = $1)::int AS results,
       (SELECT count(DISTINCT portfolio_id) FROM batch_run_portfolios WHERE batch_run_id = $1)::int AS "distinctResults",
       (SELECT count(*) FROM batch_run_portfolios WHERE batch_run_id = $1 AND status = 'completed')::int AS completed,
       (SELECT count(*) FROM batch_run_portfolios WHERE batch_run_id = $1 AND status = 'failed')::int AS failed,
       (SELECT count(*) FROM portfolio_snapshots WHERE batch_run_id = $1)::int AS snapshots,
       (SELECT count(DISTINCT (portfolio_id, snapshot_date)) FROM portfolio_snapshots WHERE batch_run_id = $1)::int AS "distinctSnapshots",
       (SELECT count(*) FROM portfolio_risk WHERE batch_run_id = $1)::int AS risk,
       (SELECT count(DISTINCT (portfolio_id, calculation_date)) FROM portfolio_risk WHERE batch_run_id = $1)::int AS "distinctRisk",
       (SELECT coalesce(sum(attempts - 1), 0) FROM batch_run_chunks WHERE batch_run_id = $1)::int AS "chunkRetries",
       (SELECT count(*) FROM batch_run_chunks WHERE batch_run_id = $1)::int AS chunks`,
    [runId],
  );
  return r as any;
}

/** A process's METRICS_PORT /health: its role and the jobs in hand with their ages. */

/** Duration of the run's chunk jobs (pg-boss started_on → completed_on), in ms. */
export async function chunkJobDurations(db: FaultDb, runId: string): Promise<{ n: number; p50: number; max: number }> {
  const [r] = await db.query(
    `SELECT count(*)::int AS n,
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_on - started_on)), 0) * 1000 AS p50,
       coalesce(max(extract(epoch FROM completed_on - started_on)), 0) * 1000 AS max
     FROM pgboss.job WHERE name = 'batch-chunk' AND data->>'runId' = $1 AND state = 'completed'`,
    [runId],
  );
  return { n: r.n, p50: Math.round(Number(r.p50)), max: Math.round(Number(r.max)) };
}

/** A run's events of `kind`, with the recording process (host:pid) and time. */
export async function runEvents(db: FaultDb, runId: string, kind: string): Promise<Array<{ at: Date; process: string; chunk_index: number | null; details: any }>> {
  return db.query(`SELECT at, process, chunk_index, details FROM batch_run_events WHERE batch_run_id = $1 AND kind = $2 ORDER BY id`, [runId, kind]);
}

/** The pid in a batch process id (host:pid:tag) or an event's process (host:pid). */
export const pidOf = (processId: string | null): number | null => (processId ? Number(processId.split(':')[1]) : null);

/** Portfolio-chunks each process completed in a run (from the chunk rows' lease owner), by pid. */
export async function portfoliosByProcess(db: FaultDb, runId: string): Promise<Map<number, number>> {
  const rows = await db.query<{ owner: string; n: number }>(
    `SELECT lease_owner AS owner, sum(cardinality(portfolio_ids))::int AS n FROM batch_run_chunks WHERE batch_run_id = $1 AND status = 'completed' GROUP BY lease_owner`,
    [runId],
  );
  return new Map(rows.map((r) => [pidOf(r.owner)!, r.n]));
}

/** Exactly one row per (portfolio, date) in both result tables for the run's portfolios and dates. */
export async function duplicateResults(db: FaultDb): Promise<{ snapshots: number; risk: number }> {
  const [r] = await db.query<{ snapshots: number; risk: number }>(
    `SELECT (SELECT count(*) - count(DISTINCT (portfolio_id, snapshot_date)) FROM portfolio_snapshots)::int AS snapshots,
            (SELECT count(*) - count(DISTINCT (portfolio_id, calculation_date)) FROM portfolio_risk)::int AS risk`,
  );
  return r;
}

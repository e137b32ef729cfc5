import type { Client } from 'pg';
import { FACTOR_SYMBOLS } from '../src/analytics/calculators';
import { PriceWindowCache } from '../src/batch/phases/price-window.cache';
import type { CalendarDate } from '../src/common/branded';

/** The tables a run writes its results to, and their conflict keys (as the batch's upserts). */
const RESULT_TABLES = [
  { table: 'portfolio_snapshots', key: ['portfolio_id', 'snapshot_date'], where: 'snapshot_date = $1' },
  { table: 'portfolio_risk', key: ['portfolio_id', 'calculation_date'], where: 'calculation_date = $1' },
  { table: 'ledger_checkpoints', key: ['portfolio_id'], where: 'as_of = $1' },
] as const;

export interface FloorMeasurement {
  date: string;
  /** Best of `repeats`: the price window read, the result rows written, and both. */
  readSeconds: number;
  writeSeconds: number;
  totalSeconds: number;
  priceRows: number;
  symbols: number;
  rows: Record<string, number>;
  /** Best write time per table (the three are written one after the other in each repeat). */
  writeSecondsByTable: Record<string, number>;
  payloadMb: number;
  repeats: number;
}

/**
 * The PostgreSQL floor of a run, measured on the bench's own connection right
 * after the warm run: plain SQL that
 * - reads the same price window the batch reads (every symbol with prices
 *   plus the factor ETFs, the run date's 253-close window, the batch's own
 *   string_agg statement), and
 * - writes the same result rows: the run's snapshots, risk rows and ledger
 *   checkpoints, fetched beforehand as JSON (untimed) and sent back as one
 *   `INSERT … SELECT FROM json_populate_recordset … ON CONFLICT DO UPDATE`
 *   per table (the batch's upsert) in a transaction that is rolled back, so
 *   the book is left as the batch wrote it.
 * No analytics, no ledger reads, no queue: what the database alone costs.
 */
export async function measureFloor(db: Client, date: CalendarDate, repeats = 3): Promise<FloorMeasurement> {
  const window = PriceWindowCache.window(date);
  const from = window[0];
  const { rows: symRows } = await db.query(`SELECT array_agg(DISTINCT symbol) AS s FROM daily_prices WHERE price_date BETWEEN $1 AND $2`, [from, date]);
  const symbols = [...new Set([...(symRows[0].s as string[] | null ?? []), ...FACTOR_SYMBOLS])];
  // one client: one statement at a time
  const payloads: Array<{ table: string; json: string; n: number; sql: string }> = [];
  for (const t of RESULT_TABLES) {
    const { rows } = await db.query(`SELECT coalesce(json_agg(x), '[]')::text AS j, count(*)::int AS n FROM ${t.table} x WHERE ${t.where}`, [date]);
    const columns = (await db.query(
      `SELECT array_agg(column_name::text ORDER BY ordinal_position) AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [t.table],
    )).rows[0].c as string[];
    const list = columns.join(', ');
    const updates = columns.filter((c) => !(t.key as readonly string[]).includes(c)).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    const sql = `INSERT INTO ${t.table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${t.table}, $1::json)
                 ON CONFLICT (${t.key.join(', ')}) DO UPDATE SET ${updates}`;
    payloads.push({ table: t.table, json: rows[0].j as string, n: rows[0].n as number, sql });
  }

  let best = { read: Infinity, write: Infinity, total: Infinity };
  let priceRows = 0;
  const byTable = new Map<string, number>();
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const read = await db.query(
      `SELECT symbol, string_agg((price_date - $2::date)::text, ',' ORDER BY price_date) AS days, string_agg(close::text, ',' ORDER BY price_date) AS closes
       FROM daily_prices WHERE symbol = ANY($1) AND price_date BETWEEN $2 AND $3 GROUP BY symbol`,
      [symbols, from, date],
    );
    // what the batch does with the text: split into numbers (so the read is not cheaper than the batch's)
    for (const r of read.rows as Array<{ closes: string }>) priceRows += r.closes.split(',').length;
    const t1 = performance.now();
    await db.query('BEGIN');
    try {
      for (const p of payloads) {
        const w0 = performance.now();
        await db.query(p.sql, [p.json]);
        byTable.set(p.table, Math.min(byTable.get(p.table) ?? Infinity, performance.now() - w0));
      }
    } finally {
      await db.query('ROLLBACK');
    }
    const t2 = performance.now();
    best = { read: Math.min(best.read, t1 - t0), write: Math.min(best.write, t2 - t1), total: Math.min(best.total, t2 - t0) };
  }
  const s = (ms: number) => Math.round(ms) / 1000;
  return {
    date,
    readSeconds: s(best.read),
    writeSeconds: s(best.write),
    totalSeconds: s(best.total),
    priceRows: Math.round(priceRows / repeats),
    symbols: symbols.length,
    rows: Object.fromEntries(payloads.map((p) => [p.table, p.n])),
    writeSecondsByTable: Object.fromEntries([...byTable].map(([t, ms]) => [t, s(ms)])),
    payloadMb: Math.round(payloads.reduce((a, p) => a + Buffer.byteLength(p.json), 0) / 1048576 * 10) / 10,
    repeats,
  };
}

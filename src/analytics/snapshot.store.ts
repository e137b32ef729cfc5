import { sqlRows } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId, PositionId } from '../common/branded';
import { addDays } from '../common/dates';
import type { LedgerPositionValuation, LedgerSnapshotRecord, PreviousDayState, StoredLot } from './calculators/ledger-snapshot';

export interface StoredSnapshot extends LedgerSnapshotRecord {
  portfolio_id: PortfolioId;
  positions: LedgerPositionValuation[];
}

/** A snapshot as served: `stale` when a past transaction changed the ledger on or before its date. */
export type SnapshotView = Omit<StoredSnapshot, 'positions'> & { stale: boolean };

/** The latest usable snapshot before a date: what the next day's calculation starts from. */
export interface PreviousSnapshot extends PreviousDayState {
  readonly date: CalendarDate;
  readonly cash: number;
  /** Open lots by holding at that close; null when the snapshot has none stored (then the ledger replays from its start). */
  readonly lots: ReadonlyMap<PositionId, readonly StoredLot[]> | null;
  /** Each holding's lots as the checkpoint text held them (reused when they are unchanged: see encodeCheckpoint). */
  readonly lotTexts?: ReadonlyMap<PositionId, string>;
}

/**
 * A portfolio's resumable state at its last booked day, one compact text per
 * portfolio (ledger_checkpoints): per open position `id:market value:` then
 * its lots as `quantity,cost per unit,opened at` triples, positions joined by
 * `;`, in the snapshot's position order. Numbers print as JS shortest
 * round-trip text, so they read back exactly.
 */
export function encodeCheckpoint(
  marketValues: ReadonlyMap<PositionId, number>,
  lots: ReadonlyMap<PositionId, readonly StoredLot[]>,
  previous?: Pick<PreviousSnapshot, 'lots' | 'lotTexts'> | null,
): string {
  const parts: string[] = [];
  for (const [id, list] of lots) {
    // a holding that did not trade keeps its lots: their text is the previous checkpoint's (numbers print the same)
    const before = previous?.lots?.get(id);
    let flat = before && previous?.lotTexts && sameLots(before, list) ? previous.lotTexts.get(id) : undefined;
    if (flat === undefined) {
      const fields: string[] = [];
      for (const l of list) fields.push(String(l.quantity), String(l.cost_per_unit), l.opened_at);
      flat = fields.join(',');
    }
    parts.push(`${id}:${marketValues.get(id)}:${flat}`);
  }
  return parts.join(';');
}

function sameLots(a: readonly StoredLot[], b: readonly StoredLot[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].quantity !== b[i].quantity || a[i].cost_per_unit !== b[i].cost_per_unit || a[i].opened_at !== b[i].opened_at) return false;
  }
  return true;
}

export function decodeCheckpoint(text: string): { marketValues: Map<PositionId, number>; lots: Map<PositionId, StoredLot[]>; lotTexts: Map<PositionId, string> } {
  const marketValues = new Map<PositionId, number>();
  const lots = new Map<PositionId, StoredLot[]>();
  const lotTexts = new Map<PositionId, string>();
  if (text === '') return { marketValues, lots, lotTexts };
  for (const part of text.split(';')) {
    const [id, mv, flat] = part.split(':') as [PositionId, string, string];
    const f = flat === '' ? [] : flat.split(',');
    const list: StoredLot[] = [];
    for (let i = 0; i + 2 < f.length; i += 3) list.push({ quantity: Number(f[i]), cost_per_unit: Number(f[i + 1]), opened_at: f[i + 2] as CalendarDate });
    marketValues.set(id, Number(mv));
    lots.set(id, list);
    lotTexts.set(id, flat);
  }
  return { marketValues, lots, lotTexts };
}

/** `id:market value` pairs joined by `,` (a snapshot without a matching checkpoint). */
function decodeMarketValues(text: string | null): Map<PositionId, number> {
  const out = new Map<PositionId, number>();
  if (!text) return out;
  for (const pair of text.split(',')) {
    const i = pair.indexOf(':');
    out.set(pair.slice(0, i) as PositionId, Number(pair.slice(i + 1)));
  }
  return out;
}

function previousOf(r: { d: CalendarDate; total_value: number; cumulative_pnl: number; cumulative_realized_pnl: number; cash_balance: number;
  position_count: number; market_values: string | null; checkpoint: string | null }): PreviousSnapshot {
  const base = { date: r.d, totalValue: r.total_value, cumulativePnl: r.cumulative_pnl, cumulativeRealizedPnl: r.cumulative_realized_pnl, cash: r.cash_balance };
  if (r.checkpoint !== null) {
    const c = decodeCheckpoint(r.checkpoint);
    if (c.lots.size === r.position_count) return { ...base, marketValues: c.marketValues, lots: c.lots, lotTexts: c.lotTexts };
  }
  return { ...base, marketValues: decodeMarketValues(r.market_values), lots: null };
}

export interface SnapshotPoint {
  date: CalendarDate;
  totalValue: number;
  dailyReturn: number | null;
}

/** Rows per INSERT statement (bounded statement size whatever the chunk size). */
const UPSERT_SLICE = 1000;

/** One JSON array text of a field of every row, e.g. `[[…positions…],[…]]`. */
export function jsonArray<T>(rows: readonly T[], field: (r: T) => unknown): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) parts[i] = JSON.stringify(field(rows[i]));
  return `[${parts.join(',')}]`;
}

/** Day offset from `from` → ISO date, memoised (a history spans a few hundred distinct days). */
function dayOffsets(from: CalendarDate): (offset: number) => CalendarDate {
  const cache = new Map<number, CalendarDate>();
  return (offset) => {
    let d = cache.get(offset);
    if (d === undefined) {
      d = addDays(from, offset);
      cache.set(offset, d);
    }
    return d;
  };
}

const SNAPSHOT_COLUMNS = `s.portfolio_id, to_char(s.snapshot_date, 'YYYY-MM-DD') AS snapshot_date, s.total_value, s.cash_balance, s.long_value,
  s.short_value, s.gross_exposure, s.net_exposure, s.daily_pnl, s.daily_return, s.cumulative_pnl, s.position_count, s.net_flows, s.realized_pnl,
  s.income, s.fees, s.cumulative_realized_pnl, s.unrealized_pnl,
  coalesce(s.snapshot_date >= p.ledger_stale_from, false) AS stale`;

/** Daily snapshots: one row per portfolio and date, re-running a date replaces it. */
@Injectable()
export class SnapshotStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Each portfolio's latest usable snapshot strictly before `date`: booked
   * from the ledger (unrealized_pnl set: older snapshots are recomputed), not
   * stale (before the portfolio's ledger_stale_from), with a cumulative P&L; one
   * backward index probe per portfolio. Position market values and open lots
   * come from the portfolio's checkpoint when it was written with that
   * snapshot (same date, same run); otherwise the market values come from the
   * stored positions and there are no lots (the ledger replays from its start).
   */
  async latestBefore(ids: PortfolioId[], date: CalendarDate): Promise<Map<PortfolioId, PreviousSnapshot>> {
    const rows: Array<Parameters<typeof previousOf>[0] & { portfolio_id: PortfolioId }> = await sqlRows(this.db,
      `SELECT p.id AS portfolio_id, to_char(s.snapshot_date, 'YYYY-MM-DD') AS d, s.total_value, s.cumulative_pnl, s.cumulative_realized_pnl, s.cash_balance,
         s.position_count, c.state AS checkpoint,
         CASE WHEN c.state IS NULL THEN (SELECT string_agg(concat(e->>'position_id', ':', e->>'market_value'), ',') FROM json_array_elements(s.positions) e) END
           AS market_values
       FROM portfolios p CROSS JOIN LATERAL (
         SELECT snapshot_date, total_value, cumulative_pnl, cumulative_realized_pnl, cash_balance, position_count, positions, batch_run_id FROM portfolio_snapshots
         WHERE portfolio_id = p.id AND snapshot_date < $2 AND snapshot_date < coalesce(p.ledger_stale_from, 'infinity'::date)
           AND cumulative_pnl IS NOT NULL AND unrealized_pnl IS NOT NULL
         ORDER BY snapshot_date DESC LIMIT 1) s
       LEFT JOIN ledger_checkpoints c ON c.portfolio_id = p.id AND c.as_of = s.snapshot_date AND c.batch_run_id = s.batch_run_id
       WHERE p.id = ANY($1::uuid[])`,
      [ids, date],
    );
    return new Map(rows.map((r) => [r.portfolio_id, previousOf(r)]));
  }

  /**
   * Each portfolio's resumable state at the last day a run booked (see
   * encodeCheckpoint), one row per portfolio replaced at every run; valid only
   * with the snapshot of that date written by the same run (latestBefore).
   */
  async saveCheckpoints(rows: ReadonlyArray<{ portfolioId: PortfolioId; date: CalendarDate; state: string }>, runId: BatchRunId): Promise<void> {
    if (!rows.length) return;
    await sqlRows(this.db,
      `INSERT INTO ledger_checkpoints (portfolio_id, as_of, batch_run_id, state)
       SELECT c.pid, c.d, $4::uuid, c.state FROM unnest($1::uuid[], $2::date[], $3::text[]) AS c(pid, d, state)
       WHERE EXISTS (SELECT 1 FROM portfolios p WHERE p.id = c.pid)
       ON CONFLICT (portfolio_id) DO UPDATE SET as_of = EXCLUDED.as_of, batch_run_id = EXCLUDED.batch_run_id, state = EXCLUDED.state`,
      [rows.map((r) => r.portfolioId), rows.map((r) => r.date), rows.map((r) => r.state), runId]);
  }

  /** Of `ids`, those with a snapshot after `date`. */
  async withSnapshotsAfter(ids: PortfolioId[], date: CalendarDate): Promise<Set<PortfolioId>> {
    if (!ids.length) return new Set();
    const rows: Array<{ portfolio_id: PortfolioId }> = await sqlRows(this.db,
      `SELECT p.id AS portfolio_id FROM unnest($1::uuid[]) AS p(id)
       WHERE EXISTS (SELECT 1 FROM portfolio_snapshots s WHERE s.portfolio_id = p.id AND s.snapshot_date > $2)`,
      [ids, date],
    );
    return new Set(rows.map((r) => r.portfolio_id));
  }

  /**
   * Inserts or replaces snapshots, up to UPSERT_SLICE per statement. The
   * position lists travel as one JSON array (no per-element array-literal
   * escaping of large JSON strings on the client).
   */
  async upsert(rows: StoredSnapshot[], runId: BatchRunId | null): Promise<void> {
    for (let i = 0; i < rows.length; i += UPSERT_SLICE) {
      const slice = rows.slice(i, i + UPSERT_SLICE);
      const col = <K extends keyof StoredSnapshot>(k: K) => slice.map((r) => r[k]);
      await sqlRows(this.db,
        `INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, total_value, cash_balance, long_value, short_value, gross_exposure,
           net_exposure, daily_pnl, daily_return, cumulative_pnl, position_count, positions, batch_run_id,
           net_flows, realized_pnl, income, fees, cumulative_realized_pnl, unrealized_pnl)
         SELECT u.pid, u.d, u.tv, u.cash, u.lv, u.sv, u.gross, u.net, u.pnl, u.ret, u.cum, u.n, u.pos, $14::uuid,
           u.flows, u.realized, u.income, u.fees, u.cum_realized, u.unrealized
         FROM ROWS FROM (unnest($1::uuid[]), unnest($2::date[]), unnest($3::float8[]), unnest($4::float8[]), unnest($5::float8[]), unnest($6::float8[]),
           unnest($7::float8[]), unnest($8::float8[]), unnest($9::float8[]), unnest($10::float8[]), unnest($11::float8[]), unnest($12::int[]),
           json_array_elements($13::json), unnest($15::float8[]), unnest($16::float8[]), unnest($17::float8[]), unnest($18::float8[]),
           unnest($19::float8[]), unnest($20::float8[]))
           AS u(pid, d, tv, cash, lv, sv, gross, net, pnl, ret, cum, n, pos, flows, realized, income, fees, cum_realized, unrealized)
         ON CONFLICT (portfolio_id, snapshot_date) DO UPDATE SET total_value = EXCLUDED.total_value, cash_balance = EXCLUDED.cash_balance,
           long_value = EXCLUDED.long_value, short_value = EXCLUDED.short_value, gross_exposure = EXCLUDED.gross_exposure,
           net_exposure = EXCLUDED.net_exposure, daily_pnl = EXCLUDED.daily_pnl, daily_return = EXCLUDED.daily_return,
           cumulative_pnl = EXCLUDED.cumulative_pnl, position_count = EXCLUDED.position_count, positions = EXCLUDED.positions,
           batch_run_id = EXCLUDED.batch_run_id, net_flows = EXCLUDED.net_flows, realized_pnl = EXCLUDED.realized_pnl, income = EXCLUDED.income,
           fees = EXCLUDED.fees, cumulative_realized_pnl = EXCLUDED.cumulative_realized_pnl, unrealized_pnl = EXCLUDED.unrealized_pnl,
           created_at = now()`,
        [
          col('portfolio_id'), col('snapshot_date'), col('total_value'), col('cash_balance'), col('long_value'), col('short_value'),
          col('gross_exposure'), col('net_exposure'), col('daily_pnl'), col('daily_return'), col('cumulative_pnl'), col('position_count'),
          jsonArray(slice, (r) => r.positions), runId, col('net_flows'), col('realized_pnl'), col('income'), col('fees'),
          col('cumulative_realized_pnl'), col('unrealized_pnl'),
        ],
      );
    }
  }

  /**
   * Snapshot value history per portfolio within [from, to], ascending. Each
   * portfolio's series comes back as three comma-joined strings (day offsets
   * from `from`, values, returns) read by one index range scan per portfolio:
   * far less to parse than arrays of dates.
   */
  async history(ids: PortfolioId[], from: CalendarDate, to: CalendarDate): Promise<Map<PortfolioId, SnapshotPoint[]>> {
    const rows: Array<{ portfolio_id: PortfolioId; days: string; values: string; returns: string }> = await sqlRows(this.db, 
      `SELECT p.id AS portfolio_id, h.days, h.values, h.returns
       FROM unnest($1::uuid[]) AS p(id) CROSS JOIN LATERAL (
         SELECT string_agg((s.snapshot_date - $2::date)::text, ',' ORDER BY s.snapshot_date) AS days,
           string_agg(s.total_value::text, ',' ORDER BY s.snapshot_date) AS values,
           string_agg(coalesce(s.daily_return::text, ''), ',' ORDER BY s.snapshot_date) AS returns
         FROM portfolio_snapshots s WHERE s.portfolio_id = p.id AND s.snapshot_date BETWEEN $2 AND $3) h
       WHERE h.days IS NOT NULL`,
      [ids, from, to],
    );
    const dateAt = dayOffsets(from);
    const out = new Map<PortfolioId, SnapshotPoint[]>();
    for (const r of rows) {
      const days = r.days.split(',');
      const values = r.values.split(',');
      const returns = r.returns.split(',');
      out.set(r.portfolio_id, days.map((d, i) => ({ date: dateAt(Number(d)), totalValue: Number(values[i]), dailyReturn: returns[i] === '' ? null : Number(returns[i]) })));
    }
    return out;
  }

  /**
   * For the risk phase: each portfolio's total value on `date` and its open
   * positions as stored in that day's snapshot (what the ledger held at the
   * close), so risk never re-derives the ledger.
   */
  async holdingsOn(ids: PortfolioId[], date: CalendarDate): Promise<Map<PortfolioId, { totalValue: number; positions: LedgerPositionValuation[] }>> {
    const rows: Array<{ portfolio_id: PortfolioId; total_value: number; positions: LedgerPositionValuation[] }> = await sqlRows(this.db,
      `SELECT portfolio_id, total_value, positions FROM portfolio_snapshots WHERE portfolio_id = ANY($1::uuid[]) AND snapshot_date = $2`,
      [ids, date],
    );
    return new Map(rows.map((r) => [r.portfolio_id, { totalValue: r.total_value, positions: r.positions }]));
  }

  /** For the API: one portfolio's snapshots in a date range (without position detail). */
  async list(id: PortfolioId, from: CalendarDate | null, to: CalendarDate | null): Promise<SnapshotView[]> {
    return sqlRows(this.db,
      `SELECT ${SNAPSHOT_COLUMNS} FROM portfolio_snapshots s JOIN portfolios p ON p.id = s.portfolio_id WHERE s.portfolio_id = $1
       AND ($2::date IS NULL OR s.snapshot_date >= $2) AND ($3::date IS NULL OR s.snapshot_date <= $3) ORDER BY s.snapshot_date`,
      [id, from, to],
    );
  }

  /** For the API: the snapshot on `date`, or the latest. */
  async latest(id: PortfolioId, date: CalendarDate | null): Promise<(SnapshotView & { positions: LedgerPositionValuation[] }) | null> {
    const rows: Array<SnapshotView & { positions: LedgerPositionValuation[] }> = await sqlRows(this.db,
      `SELECT ${SNAPSHOT_COLUMNS}, s.positions FROM portfolio_snapshots s JOIN portfolios p ON p.id = s.portfolio_id
       WHERE s.portfolio_id = $1 AND ($2::date IS NULL OR s.snapshot_date = $2)
       ORDER BY s.snapshot_date DESC LIMIT 1`,
      [id, date],
    );
    return rows[0] ?? null;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PortfolioId } from '../common/branded';
import { sqlRows } from '../database/sql';
import { LIMIT_FIELDS, LimitField, LimitSet } from './limit-rules';

export type AlertStatus = 'open' | 'resolved';

export interface AlertView {
  id: string;
  portfolio_id: string;
  limit: LimitField;
  /** The sector of a sector_weight_max alert; null otherwise. */
  subject: string | null;
  status: AlertStatus;
  threshold: number;
  /** The value that opened the alert. */
  opened_value: number;
  /** The latest value seen while open (at resolution: the value that resolved it, or null when the limit was removed). */
  value: number | null;
  opened_at: string;
  opened_as_of: string;
  last_seen_at: string;
  last_seen_as_of: string;
  resolved_at: string | null;
  resolved_as_of: string | null;
  batch_run_id: string | null;
  message: string;
}

/** The alert columns `toAlertView` reads; `t` qualifies them (e.g. `a.` in an UPDATE ... FROM). */
export const alertColumns = (t = '') => `${t}id, ${t}portfolio_id, ${t}limit_name, ${t}subject, ${t}status, ${t}threshold, ${t}opened_value, ${t}last_value,
  ${t}resolved_value, ${t}opened_at, to_char(${t}opened_as_of, 'YYYY-MM-DD') AS opened_as_of, ${t}last_seen_at,
  to_char(${t}last_seen_as_of, 'YYYY-MM-DD') AS last_seen_as_of, ${t}resolved_at, to_char(${t}resolved_as_of, 'YYYY-MM-DD') AS resolved_as_of,
  COALESCE(${t}resolved_run_id, ${t}last_run_id) AS batch_run_id`;

const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? Number(x.toPrecision(6)).toString() : x.toExponential(3));

/** A line a human reads in a notification. */
export function alertMessage(a: Pick<AlertView, 'limit' | 'subject' | 'status' | 'threshold' | 'value'>): string {
  const what = a.subject ? `${a.limit} (${a.subject})` : a.limit;
  const bound = a.limit.endsWith('_min') ? 'below' : 'above';
  if (a.status === 'open') return `${what} breached: ${fmt(a.value ?? NaN)} is ${bound} the limit ${fmt(a.threshold)}`;
  return a.value === null ? `${what} resolved: the limit was removed` : `${what} resolved: ${fmt(a.value)} is within the limit ${fmt(a.threshold)}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const toAlertView = (r: any): AlertView => {
  const status = r.status as AlertStatus;
  const value = status === 'resolved' ? (r.resolved_value ?? null) : r.last_value;
  const view = {
    id: r.id,
    portfolio_id: r.portfolio_id,
    limit: r.limit_name,
    subject: r.subject,
    status,
    threshold: r.threshold,
    opened_value: r.opened_value,
    value,
    opened_at: r.opened_at.toISOString(),
    opened_as_of: r.opened_as_of,
    last_seen_at: r.last_seen_at.toISOString(),
    last_seen_as_of: r.last_seen_as_of,
    resolved_at: r.resolved_at ? r.resolved_at.toISOString() : null,
    resolved_as_of: r.resolved_as_of,
    batch_run_id: r.batch_run_id,
  };
  return { ...view, message: alertMessage(view) };
};

/** Limit sets and the alerts they raise. */
@Injectable()
export class LimitsStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The portfolio's limits: every field, null where not set. */
  async get(id: PortfolioId): Promise<{ limits: Record<LimitField, number | null>; updated_at: string | null }> {
    const [row] = await sqlRows(this.db, `SELECT limits, updated_at FROM portfolio_limits WHERE portfolio_id = $1`, [id]);
    return { limits: completeLimits(row?.limits ?? {}), updated_at: row ? row.updated_at.toISOString() : null };
  }

  /** Replaces the whole set (null or absent = no such limit). */
  async replace(id: PortfolioId, limits: LimitSet): Promise<void> {
    const set = Object.fromEntries(LIMIT_FIELDS.filter((f) => typeof limits[f] === 'number').map((f) => [f, limits[f]]));
    await sqlRows(
      this.db,
      `INSERT INTO portfolio_limits (portfolio_id, limits) VALUES ($1, $2::jsonb)
       ON CONFLICT (portfolio_id) DO UPDATE SET limits = EXCLUDED.limits, updated_at = now()`,
      [id, JSON.stringify(set)],
    );
  }

  async alerts(id: PortfolioId, status: AlertStatus | 'all', limit: number): Promise<AlertView[]> {
    const rows = await sqlRows(
      this.db,
      `SELECT ${alertColumns()} FROM portfolio_alerts WHERE portfolio_id = $1 AND ($2 = 'all' OR status = $2)
       ORDER BY (status = 'open') DESC, opened_at DESC, id LIMIT $3`,
      [id, status, limit],
    );
    return rows.map(toAlertView);
  }

  /** Limits and owners of many portfolios, rows locked for the evaluation (portfolios without limits are absent). */
  async limitsForUpdate(em: EntityManager, ids: PortfolioId[]): Promise<Map<PortfolioId, LimitSet>> {
    const rows = await sqlRows(em, `SELECT portfolio_id, limits FROM portfolio_limits WHERE portfolio_id = ANY($1::uuid[]) ORDER BY portfolio_id FOR UPDATE`, [ids]);
    return new Map(rows.map((r) => [r.portfolio_id as PortfolioId, r.limits as LimitSet]));
  }
}

export function completeLimits(stored: LimitSet): Record<LimitField, number | null> {
  return Object.fromEntries(LIMIT_FIELDS.map((f) => [f, typeof stored[f] === 'number' ? stored[f] : null])) as Record<LimitField, number | null>;
}


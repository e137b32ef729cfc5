import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CalendarDate, PortfolioId } from '../common/branded';
import { sqlRows } from '../database/sql';
import { fromStoredRisk } from './stored-risk';

/** A portfolio's stored results of one day: the snapshot totals and the risk record (null when not computed). */
export interface DayMetrics {
  snapshot: { total_value: number; gross_exposure: number; net_exposure: number };
  risk: unknown;
}

/**
 * Set-based read of many portfolios' results of one date (e.g. limits after a
 * run). Only the risk record's top-level `sections` asked for are read and
 * decoded: a whole record (correlation matrix, decomposition, exposures) is
 * tens of kilobytes once decoded, and a reader of a few figures across a large
 * book must not hold them all (10,000 whole records held 500 MB).
 */
@Injectable()
export class DayMetricsReader {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One statement for all portfolios; portfolios without a snapshot on `date` are absent. */
  async onDate(ids: PortfolioId[], date: CalendarDate, sections: readonly string[], em: EntityManager | DataSource = this.db): Promise<Map<PortfolioId, DayMetrics>> {
    if (!ids.length) return new Map();
    const rows = await sqlRows(
      em,
      `SELECT s.portfolio_id, s.total_value, s.gross_exposure, s.net_exposure,
         (SELECT json_object_agg(k, m.doc -> k) FROM unnest($3::text[]) AS k WHERE m.doc ? k) AS metrics
       FROM portfolio_snapshots s
       LEFT JOIN portfolio_risk r ON r.portfolio_id = s.portfolio_id AND r.calculation_date = s.snapshot_date
       LEFT JOIN LATERAL (SELECT r.metrics::jsonb AS doc) m ON true
       WHERE s.portfolio_id = ANY($1::uuid[]) AND s.snapshot_date = $2`,
      [ids, date, sections],
    );
    return new Map(
      rows.map((r) => [
        r.portfolio_id as PortfolioId,
        { snapshot: { total_value: Number(r.total_value), gross_exposure: Number(r.gross_exposure), net_exposure: Number(r.net_exposure) }, risk: fromStoredRisk(r.metrics ?? null) },
      ]),
    );
  }
}

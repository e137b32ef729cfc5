import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, item 6: the warm batch's "did this holding trade since the
 * dividend's ex-date" check (LedgerTailReader.tradedBetween) probes
 * transactions by holding and date range; with only (position_id) it
 * intersected two bitmap scans per holding. One index on (position_id,
 * trade_date) carrying `source` answers it from the index; it also serves
 * every lookup by position_id (the foreign key's cascade), so it replaces
 * the single-column one.
 *
 * The risk phase reads each portfolio's last year of (date, value, return)
 * from the snapshots: a covering index answers it by one index-only range
 * per portfolio instead of a heap page per row (a day's rows of all
 * portfolios share pages, so one portfolio's year spans ~250 of them).
 *
 * The batch's two large result documents (a snapshot's positions, a risk
 * record) are written every run and only ever read back whole: `json` keeps
 * the text as sent (validated, not converted), where `jsonb` turned every
 * number into a numeric on the way in, most of the database's work per row.
 * The same values come back (JSON.parse of the same text); `->`/`->>` work
 * on both types.
 */
export class BatchReadIndexes1764400530000 implements MigrationInterface {
  name = 'BatchReadIndexes1764400530000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX transactions_position_date_idx ON transactions(position_id, trade_date) INCLUDE (source)`);
    await q.query(`DROP INDEX transactions_position_idx`);
    await q.query(`CREATE INDEX portfolio_snapshots_history_idx ON portfolio_snapshots(portfolio_id, snapshot_date) INCLUDE (total_value, daily_return)`);
    await q.query(`ALTER TABLE portfolio_snapshots ALTER COLUMN positions TYPE json USING positions::json`);
    await q.query(`ALTER TABLE portfolio_risk ALTER COLUMN metrics TYPE json USING metrics::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE portfolio_risk ALTER COLUMN metrics TYPE jsonb USING metrics::jsonb`);
    await q.query(`ALTER TABLE portfolio_snapshots ALTER COLUMN positions TYPE jsonb USING positions::jsonb`);
    await q.query(`DROP INDEX portfolio_snapshots_history_idx`);
    await q.query(`CREATE INDEX transactions_position_idx ON transactions(position_id)`);
    await q.query(`DROP INDEX transactions_position_date_idx`);
  }
}

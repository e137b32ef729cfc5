import { MigrationInterface, QueryRunner } from 'typeorm';
import { hasLz4 } from './toast-compression';

/**
 * Issue 9, item 7: a portfolio's resumable ledger state (open lots and market
 * values at the last day a run booked), one row per portfolio, instead of the
 * lots inside every daily snapshot's positions. A run resumes from it only
 * when it was written with the snapshot it starts from (same date and run).
 * The batch's large JSON columns compress with lz4 where the server has it:
 * about half the database CPU of pglz per row written, at a similar size.
 */
export class LedgerCheckpoints1764400400000 implements MigrationInterface {
  name = 'LedgerCheckpoints1764400400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ledger_checkpoints (
      portfolio_id uuid PRIMARY KEY REFERENCES portfolios(id) ON DELETE CASCADE,
      as_of date NOT NULL,
      batch_run_id uuid NOT NULL,
      state text NOT NULL)`);
    if (await hasLz4(q)) {
      await q.query(`ALTER TABLE ledger_checkpoints ALTER COLUMN state SET COMPRESSION lz4`);
      await q.query(`ALTER TABLE portfolio_snapshots ALTER COLUMN positions SET COMPRESSION lz4`);
      await q.query(`ALTER TABLE portfolio_risk ALTER COLUMN metrics SET COMPRESSION lz4`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (await hasLz4(q)) {
      await q.query(`ALTER TABLE portfolio_snapshots ALTER COLUMN positions SET COMPRESSION default`);
      await q.query(`ALTER TABLE portfolio_risk ALTER COLUMN metrics SET COMPRESSION default`);
    }
    await q.query(`DROP TABLE ledger_checkpoints`);
  }
}


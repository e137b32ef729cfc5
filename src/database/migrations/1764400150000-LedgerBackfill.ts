import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Converts the position-and-cash book into the ledger (DESIGN §8) with nothing
 * lost: each position becomes a TRANSFER_IN of |quantity| at its entry price on
 * its entry date into its holding; holdings of one (portfolio, symbol, type)
 * merge into the oldest row; a non-zero cash balance becomes a DEPOSIT (or a
 * WITHDRAWAL) on the portfolio's creation date. `positions` keeps only what
 * identifies a holding (symbol, type, option terms, implied volatility).
 */
export class LedgerBackfill1764400150000 implements MigrationInterface {
  name = 'LedgerBackfill1764400150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO transactions (portfolio_id, position_id, type, trade_date, quantity, price, note, source, created_at)
      SELECT portfolio_id, id, 'TRANSFER_IN', entry_date, abs(quantity), entry_price, 'opening position (migrated)', 'user', created_at
      FROM positions ORDER BY portfolio_id, entry_date, created_at, id`);
    // the oldest holding of each (portfolio, symbol, type) keeps its id: the others' transactions move to it
    await q.query(`CREATE TEMPORARY TABLE holding_merge AS
      SELECT id, first_value(id) OVER (PARTITION BY portfolio_id, symbol, position_type ORDER BY created_at, id) AS keep
      FROM positions`);
    await q.query(`UPDATE transactions t SET position_id = m.keep FROM holding_merge m WHERE t.position_id = m.id AND m.id <> m.keep`);
    await q.query(`DELETE FROM positions p USING holding_merge m WHERE p.id = m.id AND m.id <> m.keep`);
    await q.query(`DROP TABLE holding_merge`);
    await q.query(`ALTER TABLE positions ADD CONSTRAINT positions_holding_key UNIQUE (portfolio_id, symbol, position_type)`);
    await q.query(`ALTER TABLE positions DROP COLUMN quantity, DROP COLUMN entry_price, DROP COLUMN entry_date`);
    await q.query(`INSERT INTO transactions (portfolio_id, type, trade_date, amount, note, source, created_at)
      SELECT id, CASE WHEN cash_balance > 0 THEN 'DEPOSIT' ELSE 'WITHDRAWAL' END, (created_at AT TIME ZONE 'UTC')::date,
        abs(cash_balance), 'opening cash balance (migrated)', 'user', created_at
      FROM portfolios WHERE cash_balance <> 0 ORDER BY created_at, id`);
  }

  /** Back to one row per holding: quantity and cost from its transfers in (later trades cannot be expressed). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE positions ADD COLUMN quantity numeric(20,6), ADD COLUMN entry_price numeric(20,6), ADD COLUMN entry_date date`);
    await q.query(`UPDATE positions p SET
        quantity = CASE WHEN p.position_type IN ('SHORT','SC','SP') THEN -s.q ELSE s.q END, entry_price = s.cost / s.q, entry_date = s.d
      FROM (SELECT position_id, sum(quantity) AS q, sum(quantity * price) AS cost, min(trade_date) AS d FROM transactions
            WHERE type = 'TRANSFER_IN' GROUP BY position_id) s WHERE s.position_id = p.id`);
    await q.query(`DELETE FROM positions WHERE quantity IS NULL`);
    await q.query(`ALTER TABLE positions ALTER COLUMN quantity SET NOT NULL, ALTER COLUMN entry_price SET NOT NULL, ALTER COLUMN entry_date SET NOT NULL`);
    await q.query(`ALTER TABLE positions DROP CONSTRAINT positions_holding_key`);
    await q.query(`DELETE FROM transactions`);
  }
}

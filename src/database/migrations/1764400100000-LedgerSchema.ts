import { MigrationInterface, QueryRunner } from 'typeorm';

const TYPES = [
  'BUY', 'SELL', 'SELL_SHORT', 'BUY_TO_COVER', 'DEPOSIT', 'WITHDRAWAL', 'DIVIDEND', 'INTEREST', 'FEE',
  'TRANSFER_IN', 'TRANSFER_OUT', 'SPLIT', 'EXPIRE', 'EXERCISE', 'ASSIGN',
];

/**
 * The ledger (DESIGN §8): transactions, the portfolio's cost-basis method and
 * stale marker, and the snapshot fields booked from the ledger. Option terms
 * live on the holding (`positions`), not on each transaction.
 */
export class LedgerSchema1764400100000 implements MigrationInterface {
  name = 'LedgerSchema1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      portfolio_id uuid NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
      position_id uuid REFERENCES positions(id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN (${TYPES.map((t) => `'${t}'`).join(',')})),
      trade_date date NOT NULL,
      sequence bigint GENERATED ALWAYS AS IDENTITY,
      quantity numeric(20,6) CHECK (quantity IS NULL OR quantity > 0),
      price numeric(20,6) CHECK (price IS NULL OR price >= 0),
      fees numeric(20,6) NOT NULL DEFAULT 0 CHECK (fees >= 0),
      amount numeric(20,6) CHECK (amount IS NULL OR amount > 0),
      ratio numeric(20,10) CHECK (ratio IS NULL OR ratio > 0),
      note text,
      source text NOT NULL DEFAULT 'user' CHECK (source IN ('user','system')),
      system_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (portfolio_id, system_key))`);
    await q.query(`CREATE INDEX transactions_portfolio_date_idx ON transactions(portfolio_id, trade_date, sequence)`);
    await q.query(`CREATE INDEX transactions_position_idx ON transactions(position_id)`);
    await q.query(`ALTER TABLE portfolios
      ADD COLUMN cost_basis_method text NOT NULL DEFAULT 'FIFO' CHECK (cost_basis_method IN ('FIFO','AVERAGE')),
      ADD COLUMN ledger_stale_from date`);
    await q.query(`ALTER TABLE portfolio_snapshots
      ADD COLUMN realized_pnl double precision NOT NULL DEFAULT 0,
      ADD COLUMN income double precision NOT NULL DEFAULT 0,
      ADD COLUMN fees double precision NOT NULL DEFAULT 0,
      ADD COLUMN net_flows double precision NOT NULL DEFAULT 0,
      ADD COLUMN cumulative_realized_pnl double precision NOT NULL DEFAULT 0,
      ADD COLUMN unrealized_pnl double precision`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE portfolio_snapshots DROP COLUMN realized_pnl, DROP COLUMN income, DROP COLUMN fees, DROP COLUMN net_flows,
      DROP COLUMN cumulative_realized_pnl, DROP COLUMN unrealized_pnl`);
    await q.query(`ALTER TABLE portfolios DROP COLUMN cost_basis_method, DROP COLUMN ledger_stale_from`);
    await q.query(`DROP TABLE transactions`);
  }
}

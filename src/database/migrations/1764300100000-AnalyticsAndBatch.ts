import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Price store, daily snapshots, risk records, batch runs and their per-portfolio
 * results. Snapshots carry their position values as JSONB: one row per
 * portfolio and date keeps the batch's writes set-based.
 */
export class AnalyticsAndBatch1764300100000 implements MigrationInterface {
  name = 'AnalyticsAndBatch1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE daily_prices (
      symbol text NOT NULL,
      price_date date NOT NULL,
      close double precision NOT NULL CHECK (close > 0),
      open double precision, high double precision, low double precision,
      volume bigint,
      source text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (symbol, price_date))`);
    await q.query(`CREATE INDEX daily_prices_date_idx ON daily_prices(price_date)`);

    await q.query(`CREATE TABLE batch_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      status text NOT NULL CHECK (status IN ('queued','running','completed','partial','failed','cancelled')),
      trigger text NOT NULL CHECK (trigger IN ('user','admin','schedule','cli')),
      triggered_by text NOT NULL,
      portfolio_id uuid,
      calculation_dates date[] NOT NULL,
      start_date date, end_date date,
      force boolean NOT NULL DEFAULT false,
      scheduled_date date,
      current_date_index int NOT NULL DEFAULT 0,
      current_phase text,
      phases jsonb NOT NULL DEFAULT '[]',
      portfolios_total int NOT NULL DEFAULT 0,
      market_data_issues jsonb NOT NULL DEFAULT '[]',
      cancel_requested boolean NOT NULL DEFAULT false,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz, finished_at timestamptz, heartbeat_at timestamptz)`);
    await q.query(`CREATE INDEX batch_runs_created_idx ON batch_runs(created_at DESC)`);
    await q.query(`CREATE INDEX batch_runs_portfolio_idx ON batch_runs(portfolio_id, created_at DESC)`);
    // Belt and braces under the trigger's table lock: one active run per portfolio, one active all-portfolios run.
    await q.query(`CREATE UNIQUE INDEX batch_runs_one_active_idx ON batch_runs (coalesce(portfolio_id, '00000000-0000-0000-0000-000000000000'::uuid))
      WHERE status IN ('queued','running')`);
    // One scheduled run per trading date, however many instances fire the cron.
    await q.query(`CREATE UNIQUE INDEX batch_runs_scheduled_date_idx ON batch_runs(scheduled_date) WHERE scheduled_date IS NOT NULL AND status <> 'failed' AND status <> 'cancelled'`);

    await q.query(`CREATE TABLE batch_run_portfolios (
      batch_run_id uuid NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
      portfolio_id uuid NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','completed','failed')),
      failed_phase text, failed_date date, error text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (batch_run_id, portfolio_id))`);

    await q.query(`CREATE TABLE batch_run_chunks (
      batch_run_id uuid NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
      calculation_date date NOT NULL,
      phase text NOT NULL,
      chunk_index int NOT NULL,
      portfolio_ids uuid[] NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','completed','failed')),
      processed int NOT NULL DEFAULT 0,
      attempts int NOT NULL DEFAULT 0,
      error text,
      finished_at timestamptz,
      PRIMARY KEY (batch_run_id, calculation_date, phase, chunk_index))`);

    await q.query(`CREATE TABLE portfolio_snapshots (
      portfolio_id uuid NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
      snapshot_date date NOT NULL,
      total_value double precision NOT NULL,
      cash_balance double precision NOT NULL,
      long_value double precision NOT NULL,
      short_value double precision NOT NULL,
      gross_exposure double precision NOT NULL,
      net_exposure double precision NOT NULL,
      daily_pnl double precision,
      daily_return double precision,
      cumulative_pnl double precision,
      position_count int NOT NULL,
      positions jsonb NOT NULL,
      batch_run_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portfolio_id, snapshot_date))`);

    await q.query(`CREATE TABLE portfolio_risk (
      portfolio_id uuid NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
      calculation_date date NOT NULL,
      metrics jsonb NOT NULL,
      batch_run_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (portfolio_id, calculation_date))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['portfolio_risk', 'portfolio_snapshots', 'batch_run_chunks', 'batch_run_portfolios', 'batch_runs', 'daily_prices']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}

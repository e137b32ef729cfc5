import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issues 11 and 12, the shared schema: a run's event log, the persisted
 * nightly schedule, phase re-runs, the security master and position tags.
 * Feature-specific columns (chunk leases, limits, webhooks...) come in the
 * migrations of the features that own them.
 */
export class OperationsAndRiskContracts1764400500000 implements MigrationInterface {
  name = 'OperationsAndRiskContracts1764400500000';

  async up(q: QueryRunner): Promise<void> {
    // a run's structured event log: phases, chunk takeovers, retries, errors (issue 11 item 4)
    await q.query(`CREATE TABLE batch_run_events (
      id bigserial PRIMARY KEY,
      batch_run_id uuid NOT NULL REFERENCES batch_runs(id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      kind text NOT NULL,
      level text NOT NULL DEFAULT 'info' CHECK (level IN ('info','warn','error')),
      calculation_date date,
      phase text,
      chunk_index int,
      process text,
      message text NOT NULL,
      details jsonb)`);
    await q.query(`CREATE INDEX batch_run_events_run_idx ON batch_run_events(batch_run_id, id)`);
    // re-run of one phase: the run only works `phase_filter`, for the dates and portfolios of `rerun_of`
    await q.query(`ALTER TABLE batch_runs ADD COLUMN phase_filter text CHECK (phase_filter IN ('market_data','pnl_snapshots','risk_analytics'))`);
    await q.query(`ALTER TABLE batch_runs ADD COLUMN rerun_of uuid REFERENCES batch_runs(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX batch_runs_finished_at_idx ON batch_runs(finished_at) WHERE finished_at IS NOT NULL`);
    // the nightly schedule's persisted state (one row)
    await q.query(`CREATE TABLE batch_schedule (
      id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      paused boolean NOT NULL DEFAULT false,
      paused_at timestamptz,
      paused_by text,
      skipped_dates date[] NOT NULL DEFAULT '{}',
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`INSERT INTO batch_schedule (id) VALUES (1)`);
    // the security master (issue 12 item 1): one classification per symbol
    await q.query(`CREATE TABLE security_master (
      symbol text PRIMARY KEY,
      name text,
      sector text,
      industry text,
      country text,
      asset_class text,
      source text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // user tags of a holding (its deterministic position id), inherited by its lots; kept when the holding closes and reopens
    await q.query(`CREATE TABLE position_tags (
      portfolio_id uuid NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
      position_id uuid NOT NULL,
      tag text NOT NULL,
      PRIMARY KEY (portfolio_id, position_id, tag))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE position_tags`);
    await q.query(`DROP TABLE security_master`);
    await q.query(`DROP TABLE batch_schedule`);
    await q.query(`DROP INDEX batch_runs_finished_at_idx`);
    await q.query(`ALTER TABLE batch_runs DROP COLUMN rerun_of`);
    await q.query(`ALTER TABLE batch_runs DROP COLUMN phase_filter`);
    await q.query(`DROP TABLE batch_run_events`);
  }
}

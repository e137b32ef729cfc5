import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11 items 1-3: chunk leases and a fencing epoch for run coordinators.
 * - batch_runs.epoch / coordinator: the process owning the run and its epoch;
 *   every coordinator write is conditional on both, a takeover bumps the epoch.
 * - batch_runs.takeovers: how often the run changed owner (bounded).
 * - batch_run_chunks.lease_owner / lease_expires_at: the worker process holding
 *   the chunk until the lease runs out (renewed while it lives); `attempts` is
 *   the attempt token that fences the completion.
 */
export class BatchLeases1764400510000 implements MigrationInterface {
  name = 'BatchLeases1764400510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_runs ADD COLUMN epoch int NOT NULL DEFAULT 0, ADD COLUMN coordinator text, ADD COLUMN takeovers int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE batch_run_chunks ADD COLUMN lease_owner text, ADD COLUMN lease_expires_at timestamptz, ADD COLUMN started_at timestamptz`);
    // the lease sweep reads only pending chunks by expiry
    await q.query(`CREATE INDEX batch_run_chunks_lease_idx ON batch_run_chunks(lease_expires_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX batch_runs_running_idx ON batch_runs(heartbeat_at) WHERE status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX batch_runs_running_idx`);
    await q.query(`DROP INDEX batch_run_chunks_lease_idx`);
    await q.query(`ALTER TABLE batch_run_chunks DROP COLUMN started_at, DROP COLUMN lease_expires_at, DROP COLUMN lease_owner`);
    await q.query(`ALTER TABLE batch_runs DROP COLUMN takeovers, DROP COLUMN coordinator, DROP COLUMN epoch`);
  }
}

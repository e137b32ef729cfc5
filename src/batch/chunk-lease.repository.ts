import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import { sqlRows } from '../database/sql';
import type { PortfolioPhase } from './batch.types';

export interface ChunkKey {
  runId: BatchRunId;
  date: CalendarDate;
  phase: PortfolioPhase;
  index: number;
}

/** A chunk claimed under a lease: `attempt` is the token its completion must present. */
export interface ChunkLease extends ChunkKey {
  attempt: number;
  ids: PortfolioId[];
  /** The owner whose expired lease this claim took over (null: a fresh claim). */
  robbedFrom: string | null;
}

export interface ExpiredChunk extends ChunkKey {
  /** The owner whose lease ran out; null: never claimed within its lease (its job was lost). */
  owner: string | null;
  attempts: number;
  /** Unclaimed, within its enqueue deadline, re-enqueued because a worker of its run died (its job may have been there). */
  orphan: boolean;
}

const KEY = `batch_run_id = $1 AND calculation_date = $2 AND phase = $3 AND chunk_index = $4`;

/** Chunk leases: claim, renew, fenced completion, and the sweep of expired ones. All set-based. */
@Injectable()
export class ChunkLeaseRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Creates a step's chunks (idempotent) with an enqueue deadline: a chunk no
   * worker claims within one lease (its job was lost) is re-enqueued by the sweep.
   */
  async create(em: EntityManager, runId: BatchRunId, date: CalendarDate, phase: PortfolioPhase, chunks: PortfolioId[][], leaseSeconds: number): Promise<void> {
    await sqlRows(em,
      `INSERT INTO batch_run_chunks (batch_run_id, calculation_date, phase, chunk_index, portfolio_ids, lease_expires_at)
       SELECT $1, $2, $3, (t.ord - 1)::int, ARRAY(SELECT jsonb_array_elements_text(t.ids))::uuid[], now() + make_interval(secs => $5)
       FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(ids, ord)
       ON CONFLICT DO NOTHING`,
      [runId, date, phase, JSON.stringify(chunks), leaseSeconds],
    );
  }

  /**
   * Takes the lease of a pending chunk of a running run when nobody holds a
   * live one; counts the attempt (the fencing token). Null: done, held by a
   * live worker, or the run is no longer running.
   */
  async claim(k: ChunkKey, owner: string, leaseSeconds: number): Promise<ChunkLease | null> {
    const rows: Array<{ attempts: number; ids: string[]; robbed: string | null }> = await sqlRows(this.db,
      `WITH c AS (SELECT c.lease_owner FROM batch_run_chunks c JOIN batch_runs r ON r.id = c.batch_run_id AND r.status = 'running'
                  WHERE c.${KEY.replace(/ AND /g, ' AND c.')} AND c.status = 'pending' AND (c.lease_owner IS NULL OR c.lease_expires_at < now())
                  FOR UPDATE OF c SKIP LOCKED)
       UPDATE batch_run_chunks SET attempts = attempts + 1, lease_owner = $5, lease_expires_at = now() + make_interval(secs => $6), started_at = coalesce(started_at, now())
       FROM c WHERE ${KEY} AND status = 'pending'
       RETURNING attempts, to_json(portfolio_ids::text[]) AS ids, c.lease_owner AS robbed`,
      [k.runId, k.date, k.phase, k.index, owner, leaseSeconds],
    );
    if (!rows.length) return null;
    return { ...k, attempt: rows[0].attempts, ids: rows[0].ids as PortfolioId[], robbedFrom: rows[0].robbed };
  }

  /** Renews the leases `owner` still holds (one statement for the whole process); returns the ones renewed. */
  async renew(owner: string, held: ChunkLease[], leaseSeconds: number): Promise<Set<string>> {
    if (!held.length) return new Set();
    const rows: Array<{ key: string }> = await sqlRows(this.db,
      `UPDATE batch_run_chunks c SET lease_expires_at = now() + make_interval(secs => $7)
       FROM unnest($2::uuid[], $3::date[], $4::text[], $5::int[], $6::int[]) AS h(run_id, d, phase, idx, attempt)
       WHERE c.batch_run_id = h.run_id AND c.calculation_date = h.d AND c.phase = h.phase AND c.chunk_index = h.idx
         AND c.attempts = h.attempt AND c.lease_owner = $1 AND c.status = 'pending'
       RETURNING c.batch_run_id || '|' || to_char(c.calculation_date, 'YYYY-MM-DD') || '|' || c.phase || '|' || c.chunk_index AS key`,
      [owner, held.map((l) => l.runId), held.map((l) => l.date), held.map((l) => l.phase), held.map((l) => l.index), held.map((l) => l.attempt), leaseSeconds],
    );
    return new Set(rows.map((r) => r.key));
  }

  /**
   * Gives leases back: the chunk is free to claim at once (a pg-boss retry of
   * its job), and re-enqueued by the sweep if nobody claims it within
   * `requeueAfterSeconds` (0: at the next sweep — shutdown).
   */
  async release(owner: string, held: ChunkLease[], requeueAfterSeconds: number): Promise<void> {
    if (!held.length) return;
    await sqlRows(this.db,
      `UPDATE batch_run_chunks c SET lease_owner = NULL, lease_expires_at = now() + make_interval(secs => $7)
       FROM unnest($2::uuid[], $3::date[], $4::text[], $5::int[], $6::int[]) AS h(run_id, d, phase, idx, attempt)
       WHERE c.batch_run_id = h.run_id AND c.calculation_date = h.d AND c.phase = h.phase AND c.chunk_index = h.idx
         AND c.attempts = h.attempt AND c.lease_owner = $1 AND c.status = 'pending'`,
      [owner, held.map((l) => l.runId), held.map((l) => l.date), held.map((l) => l.phase), held.map((l) => l.index), held.map((l) => l.attempt), requeueAfterSeconds],
    );
  }

  /**
   * The lease sweep, one statement: pending chunks of running runs whose lease
   * ran out lose their owner and get a new enqueue deadline; the caller
   * re-enqueues them. A lease that ran out means its worker died, and a dead
   * worker may also have held jobs of the same run it had not claimed yet (or
   * a step's sends it had not made): the run's unclaimed chunks are
   * re-enqueued with them (`orphan`), instead of waiting for the queue's job
   * expiry or their own enqueue deadline; a duplicate job is skipped at its
   * claim. Rows locked by another sweeper are skipped, so each chunk is
   * re-enqueued by one process.
   */
  async sweepExpired(leaseSeconds: number): Promise<ExpiredChunk[]> {
    const rows: Array<{ run_id: string; d: string; phase: PortfolioPhase; idx: number; owner: string | null; attempts: number; orphan: boolean }> = await sqlRows(this.db,
      `WITH e AS (SELECT c.batch_run_id, c.calculation_date, c.phase, c.chunk_index, c.lease_owner, c.lease_expires_at >= now() AS orphan FROM batch_run_chunks c
                  JOIN batch_runs r ON r.id = c.batch_run_id AND r.status = 'running'
                  WHERE c.status = 'pending' AND (c.lease_expires_at < now() OR (c.lease_owner IS NULL AND EXISTS (
                    SELECT 1 FROM batch_run_chunks x WHERE x.batch_run_id = c.batch_run_id AND x.status = 'pending'
                      AND x.lease_owner IS NOT NULL AND x.lease_expires_at < now())))
                  FOR UPDATE OF c SKIP LOCKED)
       UPDATE batch_run_chunks c SET lease_owner = NULL, lease_expires_at = now() + make_interval(secs => $1)
       FROM e WHERE c.batch_run_id = e.batch_run_id AND c.calculation_date = e.calculation_date AND c.phase = e.phase AND c.chunk_index = e.chunk_index
       RETURNING c.batch_run_id AS run_id, to_char(c.calculation_date, 'YYYY-MM-DD') AS d, c.phase, c.chunk_index AS idx, e.lease_owner AS owner, c.attempts, e.orphan`,
      [leaseSeconds],
    );
    return rows.map((r) => ({ runId: r.run_id as BatchRunId, date: r.d as CalendarDate, phase: r.phase, index: r.idx, owner: r.owner, attempts: r.attempts, orphan: r.orphan }));
  }

  /** Marks the chunk completed if `lease` still holds it (owner and attempt); false: robbed, write nothing. */
  async complete(em: EntityManager, lease: ChunkLease, owner: string, processed: number): Promise<boolean> {
    const rows = await sqlRows(em,
      `UPDATE batch_run_chunks SET status = 'completed', processed = $7, finished_at = now(), lease_expires_at = NULL
       WHERE ${KEY} AND status = 'pending' AND lease_owner = $5 AND attempts = $6 RETURNING 1`,
      [lease.runId, lease.date, lease.phase, lease.index, owner, lease.attempt, processed],
    );
    return rows.length > 0;
  }

  /** Marks the chunk failed (its last attempt threw) if `lease` still holds it. */
  async fail(em: EntityManager, lease: ChunkLease, owner: string, error: string): Promise<boolean> {
    const rows = await sqlRows(em,
      `UPDATE batch_run_chunks SET status = 'failed', error = $7, finished_at = now(), lease_expires_at = NULL
       WHERE ${KEY} AND status = 'pending' AND lease_owner = $5 AND attempts = $6 RETURNING 1`,
      [lease.runId, lease.date, lease.phase, lease.index, owner, lease.attempt, error.slice(0, 2000)],
    );
    return rows.length > 0;
  }

  /** Chunks of a step still pending (after the caller's own update, inside its transaction). */
  async pendingCount(em: EntityManager, runId: BatchRunId, date: CalendarDate, phase: PortfolioPhase): Promise<number> {
    const [r]: Array<{ n: number }> = await sqlRows(em,
      `SELECT count(*)::int AS n FROM batch_run_chunks WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3 AND status = 'pending'`,
      [runId, date, phase],
    );
    return r.n;
  }

  /** Pending chunks of a step nobody holds a live lease on (a resumed run re-enqueues them). */
  async unheld(runId: BatchRunId, date: CalendarDate, phase: PortfolioPhase): Promise<ChunkKey[]> {
    const rows: Array<{ idx: number }> = await sqlRows(this.db,
      `SELECT chunk_index AS idx FROM batch_run_chunks WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3 AND status = 'pending'
         AND (lease_owner IS NULL OR lease_expires_at < now()) ORDER BY chunk_index`,
      [runId, date, phase],
    );
    return rows.map((r) => ({ runId, date, phase, index: r.idx }));
  }
}

export const leaseKey = (k: ChunkKey): string => `${k.runId}|${k.date}|${k.phase}|${k.index}`;

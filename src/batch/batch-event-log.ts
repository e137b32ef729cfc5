import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { asBatchRunId, asCalendarDate, BatchRunId } from '../common/branded';
import { sqlRows } from '../database/sql';
import type { BatchRunEventInput, BatchRunEventView } from './batch.types';

interface EventRow {
  id: string;
  batch_run_id: string;
  at: Date;
  kind: BatchRunEventView['kind'];
  level: BatchRunEventView['level'];
  calculation_date: string | null;
  phase: BatchRunEventView['phase'];
  chunk_index: number | null;
  process: string | null;
  message: string;
  details: Record<string, unknown> | null;
}

const toView = (r: EventRow): BatchRunEventView => ({
  id: Number(r.id),
  batch_run_id: asBatchRunId(r.batch_run_id),
  at: r.at.toISOString(),
  kind: r.kind,
  level: r.level,
  calculation_date: r.calculation_date ? asCalendarDate(r.calculation_date) : null,
  phase: r.phase,
  chunk_index: r.chunk_index,
  process: r.process,
  message: r.message,
  details: r.details,
});

/** The PostgreSQL NOTIFY channel of run events; the payload is the run id. */
export const BATCH_NOTIFY_CHANNEL = 'sigmasight_batch_runs';

/** See BatchEventLog.onRecorded. */
export type RecordHook = (events: BatchRunEventView[], em: DataSource | EntityManager) => Promise<void>;

/**
 * A run's structured event log (phases, chunk takeovers, retries, errors),
 * kept in PostgreSQL with the run, and the in-process bus of the same events:
 * listeners (metrics, live status, alerts) hear an event as soon as this
 * process has recorded it. Other processes hear of it through the database:
 * the same statement NOTIFYs `sigmasight_batch` with the run id.
 */
@Injectable()
export class BatchEventLog {
  private readonly logger = new Logger('BatchEventLog');
  private readonly bus = new EventEmitter();
  private readonly hooks: RecordHook[] = [];
  /** Who records: host:pid. */
  readonly processName = `${hostname()}:${process.pid}`;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.bus.setMaxListeners(50);
  }

  /**
   * Appends events in one statement, runs the record hooks on the same
   * connection, then tells this process's listeners. Inside a transaction
   * pass its manager: the hooks' writes commit or roll back with the events,
   * and the listeners hear of the events when the statement ran (before the
   * commit).
   */
  async record(input: BatchRunEventInput | BatchRunEventInput[], em: DataSource | EntityManager = this.db): Promise<BatchRunEventView[]> {
    const events = Array.isArray(input) ? input : [input];
    if (!events.length) return [];
    const rows: EventRow[] = await sqlRows(
      em,
      `WITH ins AS (
         INSERT INTO batch_run_events (batch_run_id, kind, level, calculation_date, phase, chunk_index, process, message, details)
         SELECT e.run_id, e.kind, e.level, e.date, e.phase, e.chunk_index, $2, e.message, e.details
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (run_id uuid, kind text, level text, date date, phase text, chunk_index int, message text, details jsonb))
           WITH ORDINALITY AS e(run_id, kind, level, date, phase, chunk_index, message, details, ord)
         ORDER BY e.ord
         RETURNING id, batch_run_id, at, kind, level, to_char(calculation_date, 'YYYY-MM-DD') AS calculation_date, phase, chunk_index, process, message, details),
       -- other processes' live streams hear of the runs at the commit (a NOTIFY is delivered only then)
       notified AS (SELECT count(pg_notify('${BATCH_NOTIFY_CHANNEL}', r.id::text)) AS n FROM (SELECT DISTINCT batch_run_id AS id FROM ins) r)
       SELECT ins.* FROM ins, notified`,
      [
        JSON.stringify(
          events.map((e) => ({
            run_id: e.runId,
            kind: e.kind,
            level: e.level ?? 'info',
            date: e.date ?? null,
            phase: e.phase ?? null,
            chunk_index: e.chunkIndex ?? null,
            message: e.message.slice(0, 2000),
            details: e.details ?? null,
          })),
        ),
        this.processName,
      ],
    );
    const views = rows.map(toView).sort((a, b) => a.id - b.id);
    for (const hook of this.hooks) await hook(views, em);
    for (const v of views) {
      try {
        this.bus.emit('event', v);
      } catch (e) {
        this.logger.error(`a batch event listener failed: ${(e as Error).message}`);
      }
    }
    return views;
  }

  /**
   * Work that must commit with the events it follows (e.g. queuing a job when
   * a run finishes): runs inside record(), on its connection or transaction.
   * A hook that throws fails the recording. Returns the removal function.
   */
  onRecorded(hook: RecordHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  /** Hears every event this process records; returns the unsubscribe function. */
  subscribe(listener: (event: BatchRunEventView) => void): () => void {
    this.bus.on('event', listener);
    return () => this.bus.off('event', listener);
  }

  /** A run's events in order, after `afterId` (paging), at most `limit`. */
  async list(runId: BatchRunId, page: { afterId?: number; limit: number }): Promise<BatchRunEventView[]> {
    const rows: EventRow[] = await sqlRows(
      this.db,
      `SELECT id, batch_run_id, at, kind, level, to_char(calculation_date, 'YYYY-MM-DD') AS calculation_date, phase, chunk_index, process, message, details
       FROM batch_run_events WHERE batch_run_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [runId, page.afterId ?? 0, page.limit],
    );
    return rows.map(toView);
  }
}

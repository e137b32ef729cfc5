import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { asCalendarDate, CalendarDate } from '../../common/branded';
import { sqlRows } from '../../database/sql';

/** The persisted state of the nightly schedule (table batch_schedule, one row). */
export interface ScheduleState {
  paused: boolean;
  pausedAt: string | null;
  pausedBy: string | null;
  /** Due dates the cron skipped during the latest pause, oldest first. */
  skippedDates: CalendarDate[];
  updatedAt: string;
}

interface Row {
  paused: boolean;
  paused_at: Date | null;
  paused_by: string | null;
  skipped_dates: string[];
  updated_at: Date;
}

/** Most skipped dates kept (a pause of months would otherwise grow the row without bound). */
const MAX_SKIPPED = 60;

const COLUMNS = `paused, paused_at, paused_by, to_json(skipped_dates::text[]) AS skipped_dates, updated_at`;

const toState = (r: Row): ScheduleState => ({
  paused: r.paused,
  pausedAt: r.paused_at ? r.paused_at.toISOString() : null,
  pausedBy: r.paused_by,
  skippedDates: r.skipped_dates.map(asCalendarDate),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * Pause and resume of the nightly schedule, shared by every process through
 * PostgreSQL, so a pause survives restarts and holds for every instance.
 */
@Injectable()
export class BatchScheduleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(): Promise<ScheduleState> {
    const rows: Row[] = await sqlRows(this.db, `SELECT ${COLUMNS} FROM batch_schedule WHERE id = 1`);
    if (rows.length) return toState(rows[0]);
    // the migration creates the row; a hand-deleted one comes back as "not paused"
    await sqlRows(this.db, `INSERT INTO batch_schedule (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);
    return this.get();
  }

  /**
   * Pauses or resumes. A new pause starts a fresh list of skipped dates;
   * pausing a paused schedule (or resuming a running one) changes nothing.
   * `changed` tells the caller whether this call paused or resumed it.
   */
  async setPaused(paused: boolean, by: string): Promise<{ state: ScheduleState; changed: boolean }> {
    await this.get();
    const rows: Row[] = await sqlRows(
      this.db,
      `UPDATE batch_schedule SET paused = $1, updated_at = now(),
         paused_at = CASE WHEN $1 THEN now() ELSE paused_at END,
         paused_by = CASE WHEN $1 THEN $2 ELSE paused_by END,
         skipped_dates = CASE WHEN $1 THEN '{}' ELSE skipped_dates END
       WHERE id = 1 AND paused <> $1 RETURNING ${COLUMNS}`,
      [paused, by],
    );
    return rows.length ? { state: toState(rows[0]), changed: true } : { state: await this.get(), changed: false };
  }

  /** Records a due date the cron skipped while paused; false when the schedule is not paused (any more). */
  async recordSkipped(date: CalendarDate): Promise<boolean> {
    const rows = await sqlRows(
      this.db,
      `UPDATE batch_schedule SET updated_at = now(),
         skipped_dates = (SELECT coalesce(array_agg(d ORDER BY d), '{}') FROM (
           SELECT DISTINCT d FROM unnest(array_append(skipped_dates, $1::date)) d ORDER BY d DESC LIMIT ${MAX_SKIPPED}) k)
       WHERE id = 1 AND paused RETURNING 1`,
      [date],
    );
    return rows.length > 0;
  }
}

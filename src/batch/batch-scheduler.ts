import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime } from 'cron';
import type { CalendarDate } from '../common/branded';
import { RunConflictError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { latestCompletedTradingDay, nextTradingDay, tradingDaysBetween } from '../market-data/calendar';
import { batchTriggerRequest } from './batch-trigger-request';
import { BatchService } from './batch.service';
import type { BatchRunView } from './batch.types';
import { BatchScheduleRepository, ScheduleState } from './operations/batch-schedule.repository';

export type ScheduleSkip = 'done' | 'scheduled' | 'busy' | 'paused';

/** The schedule as operators see it (GET|PUT /admin/batch/schedule, `cli schedule`). */
export interface ScheduleView {
  paused: boolean;
  paused_at: string | null;
  paused_by: string | null;
  cron: string;
  timezone: string;
  enabled: boolean;
  next_fire_at: string | null;
  last_scheduled_date: CalendarDate | null;
  skipped_dates: CalendarDate[];
}

/**
 * The nightly run: the latest completed NYSE trading day, plus the trading
 * days missed since the last successful scheduled run (oldest first, at most
 * BATCH_CATCHUP_MAX_DAYS). The unique scheduled date in the database makes a
 * second instance firing at the same moment a no-op.
 *
 * Paused (batch_schedule, shared by every process): a firing with a date due
 * records it in `skipped_dates` and logs that it skipped the run; resuming
 * catches up at once, from the day after the last successful scheduled run
 * (or the first skipped date when none has succeeded yet) through the latest.
 */
const RETRY_ATTEMPTS = 30;
const RETRY_DELAY_MS = 60_000;

@Injectable()
export class BatchScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BatchScheduler');
  /** Why the last fire() started nothing: 'busy' (another run active) is worth retrying soon. */
  private lastSkip: ScheduleSkip | null = null;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly batch: BatchService,
    private readonly registry: SchedulerRegistry,
    private readonly schedule: BatchScheduleRepository,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.batchCronEnabled || this.settings.processRole === 'worker') return;
    const job = CronJob.from({
      cronTime: this.settings.batchCron,
      timeZone: this.settings.batchTimezone,
      onTick: () => void this.fireUntilStarted(RETRY_ATTEMPTS),
      start: true,
    });
    this.registry.addCronJob('nightly-batch', job);
    this.logger.log(`nightly batch scheduled: "${this.settings.batchCron}" ${this.settings.batchTimezone}`);
  }

  /** Why the last fire() started nothing (null: it started a run or failed). */
  get lastSkipReason(): ScheduleSkip | null {
    return this.lastSkip;
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry);
  }

  /** A run active at cron time (someone's recalculation) only delays the nightly run: retry every minute. */
  private async fireUntilStarted(attemptsLeft: number, from?: CalendarDate): Promise<BatchRunView | null> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    let run: BatchRunView | null = null;
    try {
      run = await this.fire(new Date(), from);
    } catch (e) {
      this.logger.error(`scheduled run failed to start: ${(e as Error).message}`);
    }
    if (this.lastSkip === 'busy' && attemptsLeft > 1) {
      this.retry = setTimeout(() => void this.fireUntilStarted(attemptsLeft - 1, from), RETRY_DELAY_MS);
      this.retry.unref();
    }
    return run;
  }

  /**
   * Starts the scheduled run due at `now`; null when there is nothing to do,
   * the schedule is paused, or another instance has it. `from`: the first
   * date to catch up when no scheduled run has succeeded yet (a resume).
   */
  async fire(now: Date = new Date(), from?: CalendarDate): Promise<BatchRunView | null> {
    const latest = latestCompletedTradingDay(now);
    this.lastSkip = null;
    const [state, last] = await Promise.all([this.schedule.get(), this.batch.lastScheduledSuccess()]);
    if (last && last >= latest) {
      this.lastSkip = 'done';
      return null;
    }
    if (state.paused) {
      this.lastSkip = 'paused';
      await this.schedule.recordSkipped(latest);
      this.logger.warn(`scheduled run for ${latest} skipped: the schedule is paused (since ${state.pausedAt} by ${state.pausedBy}); it catches up on resume`);
      return null;
    }
    const first = last ? nextTradingDay(last) : (from ?? latest);
    const missed = tradingDaysBetween(first < latest ? first : latest, latest);
    const dates = missed.slice(-Math.max(1, this.settings.batchCatchUpMaxDays + 1));
    if (dates.length < missed.length) {
      this.logger.warn(`catch-up bounded by BATCH_CATCHUP_MAX_DAYS: ${missed[0]}..${missed[missed.length - dates.length - 1]} not run; backfill them with POST /admin/batch/run {start_date, end_date}`);
    }
    const range = dates.length > 1 ? { startDate: dates[0], endDate: latest } : { calculationDate: latest };
    try {
      const run = await this.batch.trigger(batchTriggerRequest({ trigger: 'schedule', triggeredBy: 'scheduler', scheduledDate: latest, ...range }), now);
      this.logger.log(`scheduled run ${run.batch_run_id} for ${dates[0]}..${latest}`);
      return run;
    } catch (e) {
      if (e instanceof RunConflictError) {
        this.lastSkip = e.reason === 'active' ? 'busy' : 'scheduled';
        this.logger.log(`scheduled run for ${latest} not started: ${e.message} (run ${e.activeRunId})`);
        return null;
      }
      throw e;
    }
  }

  /** Pauses the schedule (every instance: the state is in the database). */
  async pause(by: string, enabled?: boolean): Promise<ScheduleView> {
    const { state, changed } = await this.schedule.setPaused(true, by);
    if (changed) this.logger.warn(`nightly schedule paused by ${by}`);
    return this.view(state, { enabled });
  }

  /**
   * Resumes the schedule. When a firing was skipped during the pause and
   * `catchUp` (the cron is enabled), the missed dates start at once; the
   * run, or null, comes back with the view.
   */
  async resume(by: string, catchUp = this.settings.batchCronEnabled): Promise<{ view: ScheduleView; run: BatchRunView | null }> {
    const { state, changed } = await this.schedule.setPaused(false, by);
    let run: BatchRunView | null = null;
    if (changed) {
      this.logger.log(`nightly schedule resumed by ${by}${state.skippedDates.length ? `; skipped while paused: ${state.skippedDates.join(', ')}` : ''}`);
      if (catchUp && state.skippedDates.length) run = await this.fireUntilStarted(RETRY_ATTEMPTS, state.skippedDates[0]);
    }
    return { view: await this.view(state, { enabled: catchUp }), run };
  }

  /** The schedule's state, its next firing and the last date a scheduled run succeeded. */
  async view(state?: ScheduleState, opts: { now?: Date; enabled?: boolean } = {}): Promise<ScheduleView> {
    const s = state ?? (await this.schedule.get());
    const now = opts.now ?? new Date();
    // the CLI runs with its own cron off: it passes the deployment's setting
    const enabled = opts.enabled ?? this.settings.batchCronEnabled;
    return {
      paused: s.paused,
      paused_at: s.pausedAt,
      paused_by: s.pausedBy,
      cron: this.settings.batchCron,
      timezone: this.settings.batchTimezone,
      enabled,
      next_fire_at: enabled ? nextFireAt(this.settings.batchCron, this.settings.batchTimezone, now) : null,
      last_scheduled_date: await this.batch.lastScheduledSuccess(),
      skipped_dates: s.skippedDates,
    };
  }
}

/** When the cron expression next fires after `now` in its time zone (ISO, UTC). */
export function nextFireAt(cron: string, timeZone: string, now: Date = new Date()): string {
  return new CronTime(cron, timeZone).getNextDateFrom(now, timeZone).toUTC().toISO()!;
}

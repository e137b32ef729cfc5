import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { RunConflictError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { latestCompletedTradingDay, nextTradingDay, tradingDaysBetween } from '../market-data/calendar';
import { batchTriggerRequest } from './batch-trigger-request';
import { BatchService } from './batch.service';
import type { BatchRunView } from './batch.types';

/**
 * The nightly run: the latest completed NYSE trading day, plus the trading
 * days missed since the last successful scheduled run (oldest first, at most
 * BATCH_CATCHUP_MAX_DAYS). The unique scheduled date in the database makes a
 * second instance firing at the same moment a no-op.
 */
const RETRY_ATTEMPTS = 30;
const RETRY_DELAY_MS = 60_000;

@Injectable()
export class BatchScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BatchScheduler');
  /** Why the last fire() started nothing: 'busy' (another run active) is worth retrying soon. */
  private lastSkip: 'done' | 'scheduled' | 'busy' | null = null;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly batch: BatchService,
    private readonly registry: SchedulerRegistry,
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
  get lastSkipReason(): 'done' | 'scheduled' | 'busy' | null {
    return this.lastSkip;
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry);
  }

  /** A run active at cron time (someone's recalculation) only delays the nightly run: retry every minute. */
  private async fireUntilStarted(attemptsLeft: number): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    try {
      await this.fire();
    } catch (e) {
      this.logger.error(`scheduled run failed to start: ${(e as Error).message}`);
    }
    if (this.lastSkip === 'busy' && attemptsLeft > 1) {
      this.retry = setTimeout(() => void this.fireUntilStarted(attemptsLeft - 1), RETRY_DELAY_MS);
      this.retry.unref();
    }
  }

  /** Starts the scheduled run due at `now`; null when there is nothing to do or another instance has it. */
  async fire(now: Date = new Date()): Promise<BatchRunView | null> {
    const latest = latestCompletedTradingDay(now);
    const last = await this.batch.lastScheduledSuccess();
    this.lastSkip = null;
    if (last && last >= latest) {
      this.lastSkip = 'done';
      return null;
    }
    const missed = last ? tradingDaysBetween(nextTradingDay(last), latest) : [latest];
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
}

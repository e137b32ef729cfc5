import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { DomainError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { latestCompletedTradingDay, nextTradingDay, tradingDaysBetween } from '../market-data/calendar';
import { BatchRunRepository } from './batch-run.repository';
import { BatchService } from './batch.service';
import type { BatchRunView } from './batch.types';

/**
 * The nightly run: the latest completed NYSE trading day, plus the trading
 * days missed since the last successful scheduled run (oldest first, at most
 * BATCH_CATCHUP_MAX_DAYS). The unique scheduled date in the database makes a
 * second instance firing at the same moment a no-op.
 */
@Injectable()
export class BatchScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('BatchScheduler');

  constructor(
    private readonly batch: BatchService,
    private readonly runs: BatchRunRepository,
    private readonly registry: SchedulerRegistry,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.batchCronEnabled || this.settings.processRole === 'worker') return;
    const job = CronJob.from({
      cronTime: this.settings.batchCron,
      timeZone: this.settings.batchTimezone,
      onTick: () => void this.fire().catch((e) => this.logger.error(`scheduled run failed to start: ${(e as Error).message}`)),
      start: true,
    });
    this.registry.addCronJob('nightly-batch', job);
    this.logger.log(`nightly batch scheduled: "${this.settings.batchCron}" ${this.settings.batchTimezone}`);
  }

  /** Starts the scheduled run due at `now`; null when there is nothing to do or another instance has it. */
  async fire(now: Date = new Date()): Promise<BatchRunView | null> {
    const latest = latestCompletedTradingDay(now);
    const last = await this.runs.lastScheduledSuccess();
    if (last && last >= latest) return null;
    let dates = last ? tradingDaysBetween(nextTradingDay(last), latest) : [latest];
    dates = dates.slice(-Math.max(1, this.settings.batchCatchUpMaxDays + 1));
    const range = dates.length > 1 ? { startDate: dates[0], endDate: latest } : { calculationDate: latest };
    try {
      const run = await this.batch.trigger({ trigger: 'schedule', triggeredBy: 'scheduler', scheduledDate: latest, ...range }, now);
      this.logger.log(`scheduled run ${run.batch_run_id} for ${dates[0]}..${latest}`);
      return run;
    } catch (e) {
      if (e instanceof DomainError && e.kind === 'conflict') {
        this.logger.log(`scheduled run for ${latest} not started: ${e.message}`);
        return null;
      }
      throw e;
    }
  }
}

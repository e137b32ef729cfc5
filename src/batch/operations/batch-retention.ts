import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource, QueryRunner } from 'typeorm';
import { SETTINGS } from '../../config/config.module';
import type { AppSettings } from '../../config/settings';

/** Advisory-lock key: one prune at a time across every process of the deployment. */
const RETENTION_LOCK_KEY = 727_011;
/** When the daily prune runs, in BATCH_TIMEZONE (quiet hours, away from the nightly batch). */
export const RETENTION_CRON = '17 4 * * *';
/** Runs deleted per statement; their events go first, this many per statement, so no statement holds a large lock for long. */
const RUNS_PER_BATCH = 50;
const EVENTS_PER_BATCH = 10_000;

export interface PruneResult {
  /** False when another process was pruning (nothing done here). */
  ran: boolean;
  days: number;
  /** Runs that finished before this were pruned. */
  cutoff: string;
  runs: number;
  events: number;
}

/**
 * Runs that are final and finished more than `days` ago. Never an active run,
 * and never the latest successful scheduled run: the cron's catch-up starts
 * after its date, so pruning it would make the schedule forget where it was.
 */
const PRUNABLE = `r.status IN ('completed','partial','failed','cancelled') AND r.finished_at < $1
  AND r.id IS DISTINCT FROM (SELECT s.id FROM batch_runs s WHERE s.scheduled_date IS NOT NULL AND s.status IN ('completed','partial')
                             ORDER BY s.scheduled_date DESC LIMIT 1)`;

/**
 * Retention of batch history (BATCH_RETENTION_DAYS; 0 keeps everything): a
 * daily job deletes old runs with their chunks, per-portfolio results and
 * events (foreign keys ON DELETE CASCADE; `rerun_of` of a later re-run is set
 * to null). The results a run wrote — snapshots, risk rows, ledger
 * checkpoints — stay: they carry the run id as lineage only, without a foreign
 * key, and a checkpoint is still matched to its snapshot by that id.
 */
@Injectable()
export class BatchRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('BatchRetention');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: SchedulerRegistry,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  onApplicationBootstrap(): void {
    // every API process fires; the advisory lock lets one prune at a time (the others find nothing left)
    if (this.settings.batchRetentionDays === 0 || !this.settings.batchCronEnabled || this.settings.processRole === 'worker') return;
    const job = CronJob.from({
      cronTime: RETENTION_CRON,
      timeZone: this.settings.batchTimezone,
      onTick: () =>
        void this.prune().catch((e: Error) => this.logger.error(`batch retention failed: ${e.message}`)),
      start: true,
    });
    this.registry.addCronJob('batch-retention', job);
  }

  /** Deletes the runs that finished more than `days` ago (default BATCH_RETENTION_DAYS), in bounded batches. */
  async prune(days = this.settings.batchRetentionDays, now: Date = new Date()): Promise<PruneResult> {
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const result: PruneResult = { ran: false, days, cutoff: cutoff.toISOString(), runs: 0, events: 0 };
    if (days <= 0) return result;
    const qr = this.db.createQueryRunner();
    await qr.connect();
    try {
      const [{ locked }] = (await qr.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK_KEY])) as Array<{ locked: boolean }>;
      if (!locked) return result;
      result.ran = true;
      try {
        result.events = await this.deleteInBatches(qr, `DELETE FROM batch_run_events WHERE id IN (
            SELECT e.id FROM batch_run_events e JOIN batch_runs r ON r.id = e.batch_run_id WHERE ${PRUNABLE} LIMIT ${EVENTS_PER_BATCH})`, EVENTS_PER_BATCH, cutoff);
        result.runs = await this.deleteInBatches(qr, `DELETE FROM batch_runs WHERE id IN (
            SELECT r.id FROM batch_runs r WHERE ${PRUNABLE} ORDER BY r.finished_at LIMIT ${RUNS_PER_BATCH} FOR UPDATE SKIP LOCKED)`, RUNS_PER_BATCH, cutoff);
      } finally {
        await qr.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
      }
    } finally {
      await qr.release();
    }
    if (result.runs || result.events) {
      this.logger.log(`batch retention: pruned ${result.runs} run(s) and ${result.events} event(s) finished before ${result.cutoff} (BATCH_RETENTION_DAYS=${days})`);
    }
    return result;
  }

  /** Repeats a bounded DELETE (each its own transaction) until it deletes less than a full batch. */
  private async deleteInBatches(qr: QueryRunner, sql: string, batch: number, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = (await qr.query(sql, [cutoff], true)).affected ?? 0;
      total += n;
      if (n < batch) return total;
    }
  }
}

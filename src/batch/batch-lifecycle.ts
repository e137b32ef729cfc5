import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { BatchRunId, CalendarDate } from '../common/branded';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchOrchestrator } from './batch-orchestrator';
import { BatchQueue } from './batch-queue';
import { BatchRunTracker } from './batch-run-tracker';
import type { PortfolioPhase } from './batch.types';

export const SHUTDOWN_REASON = 'process shutting down';

/**
 * Start-up of the batch machinery: retire runs left by dead processes, register
 * the job handlers, start the queue (working jobs unless PROCESS_ROLE=api) and
 * the periodic stale sweep.
 *
 * Shutdown (SIGTERM/SIGINT → app.close(), before the database closes):
 * 1. runs coordinated here are interrupted: each stops at its next check
 *    (within ~100 ms while it waits for chunks) and ends `failed`
 *    ("interrupted: process shutting down"), releasing its portfolios at once;
 * 2. the queue stops taking jobs; chunk jobs in hand get SHUTDOWN_GRACE_SECONDS
 *    to finish, then pg-boss fails them back to the queue and another process
 *    retries them (chunks are idempotent);
 * 3. a run whose coordinator did not reach a check in time is marked failed
 *    the same way, so no run this process held is left `running`.
 */
@Injectable()
export class BatchLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BatchLifecycle');

  constructor(
    private readonly queue: BatchQueue,
    private readonly orchestrator: BatchOrchestrator,
    private readonly tracker: BatchRunTracker,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tracker.sweep();
    this.queue.register('batch-run', { retryLimit: 0, expireInSeconds: 6 * 3600, workers: 4 }, (job) => {
      const { runId } = job.data as { runId: BatchRunId };
      return this.orchestrator.runInContext(`batch-run:${runId}`, () => this.orchestrator.run(runId));
    });
    this.queue.register('batch-chunk', { retryLimit: 3, expireInSeconds: this.settings.batchChunkExpireSeconds, workers: 2 }, (job) => {
      const k = job.data as { runId: BatchRunId; date: CalendarDate; phase: PortfolioPhase; index: number };
      return this.orchestrator.runInContext(`batch-chunk:${k.runId}:${k.phase}:${k.index}`, () => this.orchestrator.runChunk(k, job.retryCount >= job.retryLimit));
    });
    const work = this.settings.processRole !== 'api';
    await this.queue.start(work, ['batch-run', 'batch-chunk']);
    this.tracker.startSweeping();
    this.logger.log(`batch queue started (${work ? 'working jobs' : 'API only, no jobs worked'})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const started = Date.now();
    const coordinated = this.orchestrator.coordinatedRuns();
    const held = this.queue.inFlightJobs().length;
    this.orchestrator.interruptAll(SHUTDOWN_REASON);
    await this.queue.stop(this.settings.shutdownGraceSeconds * 1000);
    const forced = await this.orchestrator.failCoordinatedRuns(SHUTDOWN_REASON);
    this.logger.log(
      `batch queue stopped in ${Date.now() - started} ms (${held} job(s) in hand at the signal, ${this.queue.inFlightJobs().length} still running)` +
        (coordinated.length ? `; interrupted run(s) ${coordinated.join(', ')}` : '') +
        (forced.length ? `; marked failed after the grace period: ${forced.join(', ')}` : ''),
    );
  }
}

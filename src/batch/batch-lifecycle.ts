import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { BatchRunId, CalendarDate } from '../common/branded';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchOrchestrator } from './batch-orchestrator';
import { BatchQueue } from './batch-queue';
import { BatchRunTracker } from './batch-run-tracker';
import type { PortfolioPhase } from './batch.types';

/**
 * Start-up of the batch machinery: retire runs left by dead processes, register
 * the job handlers, start the queue (working jobs unless PROCESS_ROLE=api) and
 * the periodic stale sweep.
 */
@Injectable()
export class BatchLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger('BatchLifecycle');

  constructor(
    private readonly queue: BatchQueue,
    private readonly orchestrator: BatchOrchestrator,
    private readonly tracker: BatchRunTracker,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tracker.sweep();
    const chunkExpiry = Math.max(30, this.settings.batchStaleSeconds);
    this.queue.register('batch-run', { retryLimit: 0, expireInSeconds: 6 * 3600, workers: 4 }, (job) => {
      const { runId } = job.data as { runId: BatchRunId };
      return this.orchestrator.runInContext(`batch-run:${runId}`, () => this.orchestrator.run(runId));
    });
    this.queue.register('batch-chunk', { retryLimit: 3, expireInSeconds: chunkExpiry, workers: 2 }, (job) => {
      const k = job.data as { runId: BatchRunId; date: CalendarDate; phase: PortfolioPhase; index: number };
      return this.orchestrator.runInContext(`batch-chunk:${k.runId}:${k.phase}:${k.index}`, () => this.orchestrator.runChunk(k));
    });
    const work = this.settings.processRole !== 'api';
    await this.queue.start(work, ['batch-run', 'batch-chunk']);
    this.tracker.startSweeping();
    this.logger.log(`batch queue started (${work ? 'working jobs' : 'API only, no jobs worked'})`);
  }
}

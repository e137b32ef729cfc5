import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { BatchRunId, CalendarDate } from '../common/branded';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchOrchestrator } from './batch-orchestrator';
import { BatchQueue } from './batch-queue';
import { BatchRunTracker } from './batch-run-tracker';
import type { PortfolioPhase } from './batch.types';
import { ChunkWorker } from './chunk-worker';
import { LeaseKeeper } from './lease-keeper';

export const SHUTDOWN_REASON = 'process shutting down';

/**
 * Start-up of the batch machinery: register the job handlers, start the
 * queue (working jobs unless PROCESS_ROLE=api), take over runs left by dead
 * processes, then the periodic run sweep, the lease keeper (renewal and lease
 * sweep) and the coordinator heartbeat.
 *
 * Shutdown (SIGTERM/SIGINT → app.close(), before the database closes):
 * 1. runs coordinated here are handed over, not failed: their market-data
 *    step stops, the heartbeat stops and the run is marked stale at once, so
 *    any live process's next sweep (within ¼ BATCH_STALE_SECONDS) takes it over
 *    and resumes it; with no other process, the next one to start does;
 * 2. the queue stops taking jobs; chunk jobs in hand get SHUTDOWN_GRACE_SECONDS
 *    to finish (their completion may still move the run on; the next step is
 *    enqueued, never worked here);
 * 3. leases still held are given back, so their chunks are re-enqueued by the
 *    next lease sweep of another process.
 */
@Injectable()
export class BatchLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BatchLifecycle');

  constructor(
    private readonly queue: BatchQueue,
    private readonly orchestrator: BatchOrchestrator,
    private readonly chunks: ChunkWorker,
    private readonly keeper: LeaseKeeper,
    private readonly tracker: BatchRunTracker,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queue.register('batch-run', { retryLimit: 0, expireInSeconds: 6 * 3600, workers: 4 }, (job) => {
      const { runId } = job.data as { runId: BatchRunId };
      return this.orchestrator.runInContext(`batch-run:${runId}`, () => this.orchestrator.run(runId));
    });
    this.queue.register('batch-chunk', { retryLimit: 3, expireInSeconds: this.settings.batchChunkExpireSeconds, workers: 2 }, (job) => {
      const k = job.data as { runId: BatchRunId; date: CalendarDate; phase: PortfolioPhase; index: number };
      return this.orchestrator.runInContext(`batch-chunk:${k.runId}:${k.phase}:${k.index}`, () => this.chunks.run(k, job.retryCount >= job.retryLimit));
    });
    this.queue.onBroadcast((message) => {
      if (message.startsWith('cancel:')) this.orchestrator.cancelled(message.slice(7) as BatchRunId);
    });
    const work = this.settings.processRole !== 'api';
    await this.queue.start(work, ['batch-run', 'batch-chunk']);
    this.orchestrator.startHeartbeat();
    this.keeper.start();
    await this.tracker.sweep(true);
    this.tracker.startSweeping();
    this.logger.log(`batch queue started (${work ? 'working jobs' : 'API only, no jobs worked'})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const started = Date.now();
    this.tracker.stopSweeping();
    this.chunks.stop();
    const held = this.queue.inFlightJobs().length;
    const handed = await this.orchestrator.handOver(SHUTDOWN_REASON);
    await this.queue.stop(this.settings.shutdownGraceSeconds * 1000);
    const released = await this.keeper.releaseAll();
    this.logger.log(
      `batch queue stopped in ${Date.now() - started} ms (${held} job(s) in hand at the signal, ${this.queue.inFlightJobs().length} still running)` +
        (handed.length ? `; handed over run(s) ${handed.join(', ')}` : '') +
        (released ? `; gave back ${released} chunk lease(s)` : ''),
    );
  }
}

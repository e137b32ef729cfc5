import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { BatchRunId, PortfolioId } from '../common/branded';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchRunRepository } from './batch-run.repository';
import type { BatchRunView } from './batch.types';

/**
 * Knows which runs are active — by asking PostgreSQL, never memory — and
 * retires runs whose heartbeat stopped: once at start-up and then on an
 * interval, so no run stays "running" after its process died.
 */
@Injectable()
export class BatchRunTracker implements OnApplicationShutdown {
  private readonly logger = new Logger('BatchRunTracker');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runs: BatchRunRepository,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  active(): Promise<BatchRunView[]> {
    return this.runs.active();
  }

  /** The portfolios a run covers (e.g. to evaluate their limits after it ended). */
  portfoliosOf(runId: BatchRunId): Promise<PortfolioId[]> {
    return this.runs.portfoliosOf(runId);
  }

  /** Marks stale runs failed ("abandoned: heartbeat lost"); returns their ids. */
  async sweep(): Promise<BatchRunId[]> {
    const staleSeconds = this.settings.batchStaleSeconds;
    // a queued run has no heartbeat; it is abandoned when nothing picked it up in 5 stale periods
    const swept = await this.runs.sweepStale(staleSeconds, staleSeconds * 5);
    if (swept.length) this.logger.warn(`marked ${swept.length} stale run(s) failed: ${swept.join(', ')}`);
    return swept;
  }

  startSweeping(): void {
    const everyMs = Math.max(1000, Math.floor((this.settings.batchStaleSeconds * 1000) / 4));
    this.timer = setInterval(() => void this.sweep().catch((e) => this.logger.error(`sweep failed: ${(e as Error).message}`)), everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

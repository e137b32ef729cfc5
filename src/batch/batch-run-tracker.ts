import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { BatchRunId, PortfolioId } from '../common/branded';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchEventLog } from './batch-event-log';
import { BatchOrchestrator } from './batch-orchestrator';
import { BatchProcess } from './batch-process';
import { BatchRunRepository } from './batch-run.repository';
import type { BatchRunView } from './batch.types';
import { errorText } from './phases/phase-result';
import { RunStateRepository } from './run-state.repository';

/** A run that has changed owner this often without finishing (it keeps killing its coordinators) is abandoned. */
export const MAX_TAKEOVERS = 5;

/**
 * Knows which runs are active — by asking PostgreSQL, never memory — and
 * keeps every run owned by a live process: at start-up and on an interval
 * (every quarter of BATCH_STALE_SECONDS), a process that works jobs takes
 * over each running run whose coordinator's heartbeat is older than the stale
 * limit (a new fencing epoch; refused if another process moved the epoch
 * first) and resumes it. On the embedded database only one process can
 * exist, so a running run found at start-up is taken over at once.
 * "abandoned" is left for runs no process can continue: queued with no
 * worker for 5 stale periods, or taken over MAX_TAKEOVERS times.
 */
@Injectable()
export class BatchRunTracker implements OnApplicationShutdown {
  private readonly logger = new Logger('BatchRunTracker');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runs: BatchRunRepository,
    private readonly states: RunStateRepository,
    private readonly orchestrator: BatchOrchestrator,
    private readonly events: BatchEventLog,
    private readonly me: BatchProcess,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  active(): Promise<BatchRunView[]> {
    return this.runs.active();
  }

  /** The portfolios a run covers (e.g. to evaluate their limits after it ended). */
  portfoliosOf(runId: BatchRunId): Promise<PortfolioId[]> {
    return this.runs.portfoliosOf(runId);
  }

  /**
   * One sweep: abandons queued runs nobody picked up; takes over stale running
   * runs (when this process works jobs). `startUp`: on the embedded database
   * every running run is stale (its process was this one's predecessor).
   * Returns the ids of the runs it took over or abandoned.
   */
  async sweep(startUp = false): Promise<BatchRunId[]> {
    const staleSeconds = this.settings.batchStaleSeconds;
    const acted = await this.states.abandonQueued(staleSeconds * 5);
    if (acted.length) {
      this.logger.warn(`abandoned ${acted.length} queued run(s) no worker picked up: ${acted.join(', ')}`);
      await this.events.record(acted.map((runId) => ({ runId, kind: 'run_finished' as const, level: 'error' as const, message: 'run failed: abandoned: no worker picked it up',
        details: { status: 'failed', error: 'abandoned: no worker picked it up', portfolios: null, duration_ms: null } })));
    }
    if (this.settings.processRole === 'api') return acted; // it works no jobs: it cannot continue a run
    const embedded = this.me.embedded;
    for (const s of await this.states.stale(startUp && embedded ? null : staleSeconds)) {
      if (s.takeovers >= MAX_TAKEOVERS) {
        const error = `abandoned: taken over ${s.takeovers} times without finishing`;
        if (await this.states.abandon(s.id, s.epoch, error)) {
          acted.push(s.id);
          await this.events.record({ runId: s.id, kind: 'run_finished', level: 'error', message: `run failed: ${error}`, details: { status: 'failed', error, portfolios: null, duration_ms: null } });
        }
        continue;
      }
      const run = await this.states.takeOver(s.id, s.epoch, this.me.id);
      if (!run) continue; // another process took it first (the epoch moved on)
      acted.push(s.id);
      this.logger.warn(`took over run ${s.id} from ${s.coordinator ?? 'a released coordinator'} (epoch ${run.epoch})`);
      void this.orchestrator
        .runInContext(`batch-resume:${s.id}`, () => this.orchestrator.resume(run, s.coordinator))
        .catch((e) => this.logger.error(`resuming run ${s.id} failed: ${errorText(e)}`));
    }
    return acted;
  }

  startSweeping(): void {
    const everyMs = Math.max(1000, Math.floor((this.settings.batchStaleSeconds * 1000) / 4));
    this.timer = setInterval(() => void this.sweep().catch((e) => this.logger.error(`sweep failed: ${errorText(e)}`)), everyMs);
    this.timer.unref();
  }

  stopSweeping(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onApplicationShutdown(): void {
    this.stopSweeping();
  }
}

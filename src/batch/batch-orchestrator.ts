import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BatchRunId } from '../common/branded';
import { logContext } from '../common/logging';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchEventLog } from './batch-event-log';
import { BatchProcess } from './batch-process';
import type { BatchRunEventInput } from './batch.types';
import { ChunkLeaseRepository } from './chunk-lease.repository';
import { ChunkWorker } from './chunk-worker';
import { retryOnDropped, warnRetry } from './db-retry';
import { MarketDataPhase } from './phases/market-data.phase';
import { errorText } from './phases/phase-result';
import { NOTHING, RunAdvancer, StepOutcome } from './run-advancer';
import { RunState, RunStateRepository } from './run-state.repository';

export { initialPhases } from './run-steps';
export { isConnectionError } from './db-retry';

interface Owned {
  epoch: number;
  /** Stops the coordinator's own step (market data) when the run is cancelled, taken over or handed over. */
  abort: AbortController;
}

/**
 * The coordinator side of a run: starts it under a new epoch (the
 * `batch-run` job), works its market-data step, keeps one heartbeat for every
 * run this process owns, and resumes runs it took over. Chunk phases need no
 * coordinator: their last chunk moves the run on (ChunkWorker, RunAdvancer),
 * so there is no polling loop and a run goes on while its coordinator is
 * being replaced. Every coordinator write is fenced by (epoch, owner).
 */
@Injectable()
export class BatchOrchestrator {
  private readonly logger = new Logger('BatchOrchestrator');
  private readonly owned = new Map<BatchRunId, Owned>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly states: RunStateRepository,
    private readonly advancer: RunAdvancer,
    private readonly chunks: ChunkWorker,
    private readonly leases: ChunkLeaseRepository,
    private readonly marketData: MarketDataPhase,
    private readonly events: BatchEventLog,
    private readonly me: BatchProcess,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  /** The one heartbeat timer for all runs coordinated here. */
  startHeartbeat(): void {
    this.timer = setInterval(() => void this.beat(), this.settings.batchHeartbeatSeconds * 1000);
    this.timer.unref();
  }

  /** One heartbeat statement; a run no longer running under our epoch is dropped (ended, cancelled, or taken over). */
  async beat(): Promise<void> {
    const ids = [...this.owned.keys()];
    if (!ids.length) return;
    try {
      const alive = await this.states.heartbeat(this.me.id, ids);
      for (const id of ids) {
        if (alive.get(id) === this.owned.get(id)?.epoch) continue;
        this.logger.log(`run ${id}: no longer ours (ended, cancelled or taken over); standing down`);
        this.drop(id, 'no longer running under our epoch');
      }
    } catch (e) {
      this.logger.warn(`heartbeat failed: ${errorText(e)}`);
    }
  }

  /** The `batch-run` job: starts a queued run and drives it as far as this process takes it. */
  async run(runId: BatchRunId): Promise<void> {
    const run = await this.retry(() => this.states.start(runId, this.me.id));
    if (!run) return; // picked up already, cancelled or swept
    this.own(run);
    await this.record({ runId, kind: 'run_started', message: `run started (${run.dates.length} date(s)${run.filter ? `, only ${run.filter}` : ''})`,
      details: { dates: run.dates.length, phase_filter: run.filter, epoch: run.epoch, coordinator: this.me.id } });
    await this.drive(await this.retry(() => this.advancer.begin(runId, this.fence(run))), run);
  }

  /** Continues a run this process just took over, from its durable step. */
  async resume(run: RunState, previous: string | null): Promise<void> {
    this.own(run);
    await this.record({ runId: run.id, kind: 'run_taken_over', level: 'warn', phase: run.phase, date: run.phase ? run.dates[run.dateIndex] : null,
      message: `taken over from ${previous ?? 'a released coordinator'} (epoch ${run.epoch})`, details: { previous_coordinator: previous, epoch: run.epoch, takeovers: run.takeovers } });
    if (run.phase === null) return this.drive(await this.retry(() => this.advancer.begin(run.id, this.fence(run))), run);
    if (run.phase === 'market_data') return this.drive({ kind: 'market_data', run }, run);
    // a chunk phase: its chunks exist (created with the step); give the ones nobody holds to the queue again
    const next = await this.retry(() => this.advancer.resumeStep(run.id, this.fence(run)));
    if (next.kind !== 'none') return this.drive(next, run);
    const keys = await this.leases.unheld(run.id, run.dates[run.dateIndex], run.phase);
    if (keys.length) await this.chunks.dispatch({ kind: 'chunks', keys });
  }

  private async drive(next: StepOutcome, run: RunState): Promise<void> {
    while (next.kind === 'market_data') next = await this.marketDataStep(next.run, run);
    await this.chunks.dispatch(next);
  }

  /** Market data, stoppable by cancel/takeover/shutdown; its end is recorded only under our epoch. */
  private async marketDataStep(step: RunState, run: RunState): Promise<StepOutcome> {
    const owned = this.owned.get(run.id);
    if (!owned || owned.epoch !== run.epoch) return NOTHING;
    let last = 0;
    const progress = (done: number, total: number) => {
      if (done < total && Date.now() - last < 250) return;
      last = Date.now();
      void this.states.coordinatorProgress(run.id, run.epoch, this.me.id, 'market_data', done, total).catch(() => undefined);
    };
    try {
      const scope = step.portfolioId ? [step.portfolioId] : 'all';
      const { issues } = await this.marketData.process(step.dates, scope, step.force, progress, owned.abort.signal);
      return await this.retry(() => this.advancer.afterMarketData(run.id, this.fence(run), issues));
    } catch (e) {
      if (owned.abort.signal.aborted) {
        this.logger.warn(`run ${run.id}: market data stopped (${errorText(owned.abort.signal.reason)})`);
        return NOTHING;
      }
      this.logger.error(`run ${run.id} failed in market_data: ${errorText(e)}`);
      return this.retry(() => this.advancer.marketDataFailed(run.id, this.fence(run), errorText(e)));
    }
  }

  /** The run was cancelled (here or, through the queue's broadcast, elsewhere): stop its step now. */
  cancelled(runId: BatchRunId): void {
    this.drop(runId, 'cancelled');
  }

  /** Ids of the runs this process coordinates now. */
  coordinatedRuns(): BatchRunId[] {
    return [...this.owned.keys()];
  }

  /**
   * Shutdown: stops the heartbeat and the market-data steps, and hands every
   * run coordinated here over (stale at once): any live process's next sweep
   * takes it over and resumes it; with none, the next process to start does.
   */
  async handOver(reason: string): Promise<BatchRunId[]> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const id of [...this.owned.keys()]) this.drop(id, reason);
    return this.states.release(this.me.id).catch((e) => {
      this.logger.error(`could not hand over the runs coordinated here: ${errorText(e)}`);
      return [];
    });
  }

  private own(run: RunState): void {
    this.owned.get(run.id)?.abort.abort(new Error('superseded'));
    this.owned.set(run.id, { epoch: run.epoch, abort: new AbortController() });
  }

  private drop(id: BatchRunId, reason: string): void {
    const owned = this.owned.get(id);
    if (!owned) return;
    this.owned.delete(id);
    owned.abort.abort(new Error(reason));
  }

  private fence(run: RunState): { epoch: number; owner: string } {
    return { epoch: run.epoch, owner: this.me.id };
  }

  private async record(e: BatchRunEventInput): Promise<void> {
    await this.events.record(e).catch((err) => this.logger.warn(`could not record ${e.kind} of run ${e.runId}: ${errorText(err)}`));
  }

  private retry<T>(fn: () => Promise<T>): Promise<T> {
    return retryOnDropped(fn, this.settings.batchStaleSeconds * 1000, warnRetry(this.logger));
  }

  runInContext<T>(label: string, fn: () => Promise<T>): Promise<T> {
    return logContext.run({ requestId: label }, fn);
  }
}

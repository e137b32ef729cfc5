import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BatchRunId, CalendarDate, PortfolioId } from '../common/branded';
import { logContext } from '../common/logging';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchEventLog } from './batch-event-log';
import { BatchQueue } from './batch-queue';
import { BatchRunRepository } from './batch-run.repository';
import { BatchWorkRepository, ChunkKey } from './batch-work.repository';
import { BatchRunStatus, PhaseName, PhaseView, PHASES, PortfolioPhase } from './batch.types';
import { MarketDataPhase } from './phases/market-data.phase';
import { errorText } from './phases/phase-result';
import { PriceWindowCache } from './phases/price-window.cache';
import { DayHoldingsCache } from './phases/day-holdings.cache';
import { RiskPhase } from './phases/risk.phase';
import { SnapshotPhase } from './phases/snapshot.phase';
import { RunAbandoned, RunCancelled, RunControl, RunInterrupted } from './run-control';

export const initialPhases = (): PhaseView[] =>
  PHASES.map((name) => ({ name, status: 'pending', started_at: null, finished_at: null, done: 0, total: 0 }));

const POLL_MS = 100;

/**
 * A dropped or refused database connection (failover, restart, a terminated
 * backend): the pool reconnects on the next statement, so it is worth a retry.
 */
export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : '';
  return (
    code.startsWith('08') || // connection_exception
    ['57P01', '57P02', '57P03', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code) ||
    /Connection terminated|terminating connection|connection timeout|Client has encountered a connection error|Connection ended/i.test(message)
  );
}

/**
 * Runs one batch: for each date, market data, then P&L snapshots, then risk,
 * the portfolio phases spread over pg-boss jobs in chunks. Every path ends the
 * run in a final state.
 */
@Injectable()
export class BatchOrchestrator {
  private readonly logger = new Logger('BatchOrchestrator');
  /** Runs this process coordinates now (for shutdown and metrics). */
  private readonly coordinating = new Map<BatchRunId, RunControl>();
  private interruptReason: string | null = null;

  constructor(
    private readonly runs: BatchRunRepository,
    private readonly work: BatchWorkRepository,
    private readonly queue: BatchQueue,
    private readonly marketData: MarketDataPhase,
    private readonly snapshots: SnapshotPhase,
    private readonly risk: RiskPhase,
    private readonly prices: PriceWindowCache,
    private readonly dayHoldings: DayHoldingsCache,
    @Inject(SETTINGS) private readonly settings: AppSettings,
    private readonly eventLog: BatchEventLog,
  ) {}

  /** The `batch-run` job: coordinates a queued run to its end. */
  async run(runId: BatchRunId): Promise<void> {
    const started = await this.runs.start(runId);
    if (!started) return; // picked up already, cancelled or swept: nothing to do
    const control = new RunControl(this.runs, runId, this.settings.batchHeartbeatSeconds * 1000);
    control.start();
    this.coordinating.set(runId, control);
    if (this.interruptReason !== null) control.interrupt(this.interruptReason);
    let phase: PhaseName | null = null;
    try {
      for (let i = 0; i < started.dates.length; i++) {
        const date = started.dates[i];
        const phases = initialPhases();
        const report = (p: PhaseName | null) => this.retryOnDropped(() => this.runs.progress(runId, { dateIndex: i, phase: p, phases }));
        phase = 'market_data';
        if (i > 0) phases[0].status = 'skipped'; // the first date fetched the whole run's range
        else await this.step(phases, 'market_data', report, async (view) => {
          await this.marketData.process(runId, started.dates, started.portfolioId ? [started.portfolioId] : 'all', started.force, (done, total) => {
            view.done = done;
            view.total = total;
          });
        });
        control.check();
        for (const p of ['pnl_snapshots', 'risk_analytics'] as const) {
          phase = p;
          await this.step(phases, p, report, (view) => this.portfolioPhase(control, date, p, view, () => report(p)));
          control.check();
        }
        await report(null);
      }
      const counts = await this.retryOnDropped(() => this.work.completeRemaining(runId));
      const status: BatchRunStatus = counts.failed === 0 ? 'completed' : counts.completed === 0 ? 'failed' : 'partial';
      const error = counts.failed ? `${counts.failed} of ${counts.failed + counts.completed} portfolio(s) failed` : null;
      if (await this.retryOnDropped(() => this.runs.finish(runId, status, error))) await this.recordFinished(runId, status, error);
      this.logger.log(`run ${runId} ${status}${error ? `: ${error}` : ''}`);
    } catch (e) {
      await this.finishOnError(runId, e, phase);
    } finally {
      control.stop();
      this.coordinating.delete(runId);
      this.prices.clear(runId);
      this.dayHoldings.clear(runId);
    }
  }

  /** Ids of the runs this process coordinates now. */
  coordinatedRuns(): BatchRunId[] {
    return [...this.coordinating.keys()];
  }

  /**
   * Shutdown: every run coordinated here stops at its next check and ends
   * `failed` ("interrupted: <reason>"); so does a run picked up from now on.
   */
  interruptAll(reason: string): void {
    this.interruptReason ??= reason;
    for (const control of this.coordinating.values()) control.interrupt(reason);
  }

  /** Shutdown, after the grace period: ends the runs still coordinated here (their coordinator did not reach a check in time). */
  async failCoordinatedRuns(reason: string): Promise<BatchRunId[]> {
    const ended: BatchRunId[] = [];
    for (const runId of this.coordinatedRuns()) {
      const finished = await this.runs.finish(runId, 'failed', `interrupted: ${reason}`).catch((e) => {
        this.logger.error(`could not record the interruption of run ${runId}: ${errorText(e)}`);
        return false;
      });
      if (finished) ended.push(runId);
    }
    return ended;
  }

  private async finishOnError(runId: BatchRunId, e: unknown, phase: PhaseName | null): Promise<void> {
    if (e instanceof RunAbandoned) {
      this.logger.warn(`run ${runId}: ${e.message}`);
      return;
    }
    const status: BatchRunStatus = e instanceof RunCancelled ? 'cancelled' : 'failed';
    const message = e instanceof RunCancelled || e instanceof RunInterrupted ? e.message : `${phase ?? 'setup'}: ${errorText(e)}`;
    if (status === 'failed') this.logger.error(`run ${runId} failed in ${phase}: ${errorText(e)}`);
    const finished = await this.retryOnDropped(() => this.runs.finish(runId, status, message)).catch((err) => {
      this.logger.error(`could not record end of run ${runId}: ${errorText(err)}`);
      return false;
    });
    if (finished) await this.recordFinished(runId, status, message);
  }

  /** The run's `run_finished` event (listeners such as the limits evaluation hear it in this process). */
  private async recordFinished(runId: BatchRunId, status: BatchRunStatus, error: string | null): Promise<void> {
    await this.eventLog
      .record({ runId, kind: 'run_finished', level: status === 'failed' ? 'error' : 'info', message: `run ${status}${error ? `: ${error}` : ''}`, details: { status, error } })
      .catch((e) => this.logger.error(`could not record run_finished of run ${runId}: ${errorText(e)}`));
  }

  /** Runs one phase, keeping its view (status, timing, progress) reported. */
  private async step(phases: PhaseView[], name: PhaseName, report: (p: PhaseName) => Promise<void>, body: (view: PhaseView) => Promise<void>) {
    const view = phases.find((p) => p.name === name)!;
    view.status = 'running';
    view.started_at = new Date().toISOString();
    await report(name);
    try {
      await body(view);
      view.status = 'completed';
    } catch (e) {
      view.status = 'failed';
      throw e;
    } finally {
      view.finished_at = new Date().toISOString();
      await report(name).catch((e) => this.logger.warn(`could not record the end of phase ${name}: ${errorText(e)}`));
    }
  }

  /** Splits the still-pending portfolios into chunk jobs and waits for them, reporting progress. */
  private async portfolioPhase(control: RunControl, date: CalendarDate, phase: PortfolioPhase, view: PhaseView, report: () => Promise<void>): Promise<void> {
    const runId = control.runId;
    const pending = await this.retryOnDropped(() => this.work.pendingPortfolios(runId));
    view.total = pending.length;
    const chunks: PortfolioId[][] = [];
    for (let i = 0; i < pending.length; i += this.settings.batchChunkSize) chunks.push(pending.slice(i, i + this.settings.batchChunkSize));
    await this.retryOnDropped(() => this.work.createChunks(runId, date, phase, chunks));
    if (chunks.length === 1) {
      // a single chunk runs here: no queue round trip for a one-portfolio run
      await this.runChunk({ runId, date, phase, index: 0 });
    } else if (chunks.length > 1) {
      // a retry after a lost answer may enqueue a chunk twice: harmless, chunks are idempotent
      await this.retryOnDropped(() => this.queue.sendMany('batch-chunk', chunks.map((_, index) => ({ runId, date, phase, index }))));
    }
    await this.waitForChunks(control, date, phase, view, report);
  }

  private async waitForChunks(control: RunControl, date: CalendarDate, phase: PortfolioPhase, view: PhaseView, report: () => Promise<void>): Promise<void> {
    // A chunk whose worker died comes back after its lease plus pg-boss's maintenance
    // pass (<= 15 s): give one such loss room before calling the phase stalled.
    const stallLimitMs = Math.max(this.settings.batchStaleSeconds * 5, this.settings.batchChunkExpireSeconds * 2 + 30) * 1000;
    let lastProcessed = -1;
    let lastChange = Date.now();
    for (;;) {
      const p = await this.retryOnDropped(() => this.work.chunkProgress(control.runId, date, phase));
      view.done = p.processed;
      if (p.failedChunk) throw new Error(`a chunk failed after its retries: ${p.failedChunk}`);
      if (p.cancelRequested) throw new RunCancelled();
      if (p.finished === p.total) return;
      control.check();
      if (p.processed !== lastProcessed) {
        lastProcessed = p.processed;
        lastChange = Date.now();
        await report().catch((e) => this.logger.warn(`run ${control.runId}: could not record ${phase} progress: ${errorText(e)}`));
      } else if (Date.now() - lastChange > stallLimitMs) {
        throw new Error(`no progress for ${Math.round(stallLimitMs / 1000)} s: are any batch workers running?`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /**
   * The `batch-chunk` job: idempotent, a chunk already completed is skipped.
   * A throw on the last attempt marks the chunk failed, so the coordinator
   * fails the phase at once instead of waiting for the stall limit.
   */
  async runChunk(k: ChunkKey, lastAttempt = true): Promise<void> {
    const ids = await this.work.claimChunk(k);
    if (!ids) return;
    if (!(await this.runs.isRunning(k.runId))) return; // run final (cancelled, swept): leave the chunk
    try {
      const outcome = k.phase === 'pnl_snapshots' ? await this.snapshots.process(k.runId, k.date, ids) : await this.risk.process(k.runId, k.date, ids);
      await this.work.completeChunk(k, outcome.processed, outcome.failures);
    } catch (e) {
      if (lastAttempt) {
        // unrecorded, the coordinator waits for the stall limit instead of failing the phase at once
        await this.work.failChunk(k, errorText(e)).catch((err) => this.logger.error(`could not mark chunk ${k.phase}#${k.index} of run ${k.runId} failed: ${errorText(err)}`));
      }
      throw e;
    }
  }

  /**
   * Runs a coordinator statement, retrying while the database connection is
   * being re-established (up to BATCH_STALE_SECONDS: beyond that the run's
   * heartbeat is stale anyway), so a dropped connection does not fail a run.
   */
  private async retryOnDropped<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.settings.batchStaleSeconds * 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!isConnectionError(e) || Date.now() > deadline) throw e;
        this.logger.warn(`database connection lost (${errorText(e)}); retrying`);
        await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
      }
    }
  }

  runInContext<T>(label: string, fn: () => Promise<T>): Promise<T> {
    return logContext.run({ requestId: label }, fn);
  }
}

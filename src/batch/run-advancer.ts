import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { BatchRunId, PortfolioId } from '../common/branded';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchEventLog } from './batch-event-log';
import { BatchWorkRepository } from './batch-work.repository';
import type { BatchRunEventInput, BatchRunStatus, PortfolioPhase } from './batch.types';
import { ChunkKey, ChunkLeaseRepository } from './chunk-lease.repository';
import { enqueueDeadlineSeconds } from './lease-keeper';
import { endPhaseView, enterPhaseView, firstStep, nextStep, RunStep } from './run-steps';
import { RunState, RunStateRepository } from './run-state.repository';

/** What the process that moved a run must do next, after the commit. */
export type StepOutcome =
  | { kind: 'chunks'; keys: ChunkKey[] }
  | { kind: 'market_data'; run: RunState }
  | { kind: 'finished'; runId: BatchRunId; status: BatchRunStatus }
  /** Nothing: the step is still in progress, or the caller lost the run (fenced). */
  | { kind: 'none' };

export const NOTHING: StepOutcome = { kind: 'none' };

/**
 * How long a step transaction waits for the run row. Unbounded, the queued
 * requests of a frozen process (SIGSTOP, a VM pause) would each be granted the
 * row in turn and hold it until the server's idle-in-transaction timeout,
 * delaying the takeover by that timeout once per request. Bounded, they are
 * cancelled by the server; a live process retries (retryOnDropped).
 */
export const RUN_ROW_LOCK_WAIT_MS = 5000;

/**
 * Moves runs between steps inside the transaction that holds the run's row
 * lock: the completion of a phase's last chunk (determined under that lock,
 * so exactly one completion sees it) enters the next phase, the next date or
 * the end. Chunks of a step are created in the same transaction as the step,
 * so a crash leaves either the old step or the new one with its chunks.
 */
@Injectable()
export class RunAdvancer {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly states: RunStateRepository,
    private readonly work: BatchWorkRepository,
    private readonly leases: ChunkLeaseRepository,
    private readonly events: BatchEventLog,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  /** Runs `body` on the locked run row in one transaction and records its events there. */
  async locked(runId: BatchRunId, body: (em: EntityManager, run: RunState, out: BatchRunEventInput[]) => Promise<StepOutcome>): Promise<StepOutcome> {
    return this.db.transaction(async (em) => {
      await em.query(`SET LOCAL lock_timeout = ${RUN_ROW_LOCK_WAIT_MS}`);
      const run = await this.states.lock(em, runId);
      if (!run || run.status !== 'running') return NOTHING;
      const out: BatchRunEventInput[] = [];
      const outcome = await body(em, run, out);
      await this.events.record(out, em);
      return outcome;
    });
  }

  /** A started (or taken over, not yet stepped) run enters its first step, if `fence` still holds. */
  begin(runId: BatchRunId, fence: { epoch: number; owner: string }): Promise<StepOutcome> {
    return this.locked(runId, async (em, run, out) => {
      if (run.epoch !== fence.epoch || run.coordinator !== fence.owner) return NOTHING;
      return this.enter(em, run, firstStep(run.dates.length, run.filter), out);
    });
  }

  /**
   * A taken-over run in a chunk phase: a step whose chunks are all done moves
   * on; a step without chunk rows (left by an older version) is entered again.
   * Otherwise nothing: the caller re-enqueues the chunks nobody holds.
   */
  resumeStep(runId: BatchRunId, fence: { epoch: number; owner: string }): Promise<StepOutcome> {
    return this.locked(runId, async (em, run, out) => {
      if (run.epoch !== fence.epoch || run.coordinator !== fence.owner || !run.phase || run.phase === 'market_data') return NOTHING;
      const [c]: Array<{ total: number; pending: number }> = await em.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM batch_run_chunks
         WHERE batch_run_id = $1 AND calculation_date = $2 AND phase = $3`,
        [runId, run.dates[run.dateIndex], run.phase],
      );
      if (c.total === 0) return this.enter(em, run, { dateIndex: run.dateIndex, phase: run.phase }, out);
      return c.pending === 0 ? this.phaseDone(em, run, out) : NOTHING;
    });
  }

  /** The current phase's progress (a chunk of it completed). */
  progress(em: EntityManager, runId: BatchRunId, phases: RunState['phases']): Promise<void> {
    return this.states.writePhases(em, runId, phases);
  }

  /** The current step is over: record its end and enter the next one. */
  async phaseDone(em: EntityManager, run: RunState, out: BatchRunEventInput[]): Promise<StepOutcome> {
    const step: RunStep = { dateIndex: run.dateIndex, phase: run.phase! };
    const ended = endPhaseView(run.phases, step.phase, 'completed', new Date().toISOString());
    const view = ended.phases.find((p) => p.name === step.phase)!;
    out.push({
      runId: run.id, kind: 'phase_completed', date: run.dates[step.dateIndex], phase: step.phase,
      message: `${step.phase} completed for ${run.dates[step.dateIndex]}`,
      details: { duration_ms: ended.durationMs, portfolios: view.total, done: view.done },
    });
    return this.enter(em, { ...run, phases: ended.phases }, nextStep(step, run.dates.length, run.filter), out);
  }

  /** Enters `step`, passing over steps with nothing to work; the end when there is none left. */
  private async enter(em: EntityManager, run: RunState, step: RunStep | null, out: BatchRunEventInput[]): Promise<StepOutcome> {
    let phases = run.phases;
    let from: RunStep | null = run.phase ? { dateIndex: run.dateIndex, phase: run.phase } : null;
    for (;;) {
      if (!step) return this.finish(em, run, phases, out);
      const now = new Date().toISOString();
      const date = run.dates[step.dateIndex];
      phases = enterPhaseView(phases, from, step, run.filter, now);
      out.push({ runId: run.id, kind: 'phase_started', date, phase: step.phase, message: `${step.phase} started for ${date}` });
      if (step.phase === 'market_data') {
        await this.states.writeStep(em, run.id, step.dateIndex, step.phase, phases);
        return { kind: 'market_data', run: { ...run, dateIndex: step.dateIndex, phase: step.phase, phases } };
      }
      const pending = await this.work.pendingPortfolios(em, run.id);
      if (pending.length) {
        phases.find((p) => p.name === step!.phase)!.total = pending.length;
        const chunks = this.split(pending);
        const phase = step.phase as PortfolioPhase;
        await this.leases.create(em, run.id, date, phase, chunks, enqueueDeadlineSeconds(this.settings));
        await this.states.writeStep(em, run.id, step.dateIndex, step.phase, phases);
        return { kind: 'chunks', keys: chunks.map((_, index) => ({ runId: run.id, date, phase, index })) };
      }
      // every portfolio failed earlier: nothing to work in this phase
      phases = endPhaseView(phases, step.phase, 'completed', now).phases;
      out.push({ runId: run.id, kind: 'phase_completed', date, phase: step.phase, message: `${step.phase} completed for ${date} (no portfolio left)`, details: { duration_ms: 0, portfolios: 0, done: 0 } });
      from = step;
      step = nextStep(step, run.dates.length, run.filter);
    }
  }

  /** Chunks of at most BATCH_CHUNK_SIZE portfolios, as even as that allows (no small straggler). */
  private split(ids: PortfolioId[]): PortfolioId[][] {
    const n = Math.ceil(ids.length / this.settings.batchChunkSize);
    const size = Math.ceil(ids.length / n);
    const chunks: PortfolioId[][] = [];
    for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
    return chunks;
  }

  private async finish(em: EntityManager, run: RunState, phases: RunState['phases'], out: BatchRunEventInput[]): Promise<StepOutcome> {
    const counts = await this.work.completeRemaining(em, run.id);
    const status: BatchRunStatus = counts.failed === 0 ? 'completed' : counts.completed === 0 ? 'failed' : 'partial';
    const error = counts.failed ? `${counts.failed} of ${counts.failed + counts.completed} portfolio(s) failed` : null;
    await this.states.writeStep(em, run.id, run.dates.length, null, phases);
    await this.states.finish(em, run.id, status, error, null);
    out.push(this.finished(run, status, error, counts));
    return { kind: 'finished', runId: run.id, status };
  }

  /** Ends the run `failed` in `phase` (inside the locked transaction). */
  async fail(em: EntityManager, run: RunState, error: string, out: BatchRunEventInput[]): Promise<StepOutcome> {
    const phase = run.phase;
    const phases = phase ? endPhaseView(run.phases, phase, 'failed', new Date().toISOString()).phases : run.phases;
    if (phase) out.push({ runId: run.id, kind: 'phase_failed', level: 'error', date: run.dates[run.dateIndex], phase, message: error });
    await this.states.finish(em, run.id, 'failed', error, phases);
    const [counts] = await em.query(
      `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM batch_run_portfolios WHERE batch_run_id = $1`,
      [run.id],
    );
    out.push(this.finished(run, 'failed', error, counts));
    return { kind: 'finished', runId: run.id, status: 'failed' };
  }

  /** The market-data step ended (issues recorded); fenced: only the coordinator of `epoch` moves on. */
  afterMarketData(runId: BatchRunId, fence: { epoch: number; owner: string }, issues: unknown[]): Promise<StepOutcome> {
    return this.locked(runId, async (em, run, out) => {
      if (run.epoch !== fence.epoch || run.coordinator !== fence.owner || run.phase !== 'market_data') return NOTHING;
      await this.states.addMarketDataIssues(em, runId, issues);
      for (const issue of issues) {
        const symbol = (issue as { symbol?: unknown }).symbol;
        out.push({ runId, kind: 'market_data_issue', level: 'warn', phase: 'market_data', message: `${typeof symbol === 'string' ? symbol : 'market data'}: ${(issue as { message?: unknown }).message ?? 'issue'}`, details: issue as Record<string, unknown> });
      }
      return this.phaseDone(em, run, out);
    });
  }

  /** The market-data step threw: the run fails, fenced like `afterMarketData`. */
  marketDataFailed(runId: BatchRunId, fence: { epoch: number; owner: string }, error: string): Promise<StepOutcome> {
    return this.locked(runId, async (em, run, out) => {
      if (run.epoch !== fence.epoch || run.coordinator !== fence.owner) return NOTHING;
      return this.fail(em, run, `market_data: ${error}`, out);
    });
  }

  finished(run: RunState, status: BatchRunStatus, error: string | null, counts: { completed: number; failed: number }): BatchRunEventInput {
    return {
      runId: run.id, kind: 'run_finished', level: status === 'failed' ? 'error' : status === 'partial' ? 'warn' : 'info',
      message: `run ${status}${error ? `: ${error}` : ''}`,
      details: { status, error, portfolios: { completed: counts.completed, failed: counts.failed }, duration_ms: run.startedAt ? Date.now() - run.startedAt.getTime() : null },
    };
  }
}

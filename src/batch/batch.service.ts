import { Injectable } from '@nestjs/common';
import type { BatchRunId, CalendarDate, PortfolioId, UserId } from '../common/branded';
import { FACTOR_SYMBOLS } from '../analytics/calculators';
import { DomainError, notFound, RunConflictError } from '../common/errors';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { resolveRunDates } from './batch-dates';
import { BatchEventLog } from './batch-event-log';
import { initialPhases } from './run-steps';
import { BatchQueue } from './batch-queue';
import { BatchRunRepository } from './batch-run.repository';
import { BatchRunTracker } from './batch-run-tracker';
import { BatchWorkRepository } from './batch-work.repository';
import type { BatchRunStatus, BatchRunView, BatchTriggerRequest, PortfolioResultView } from './batch.types';
import { scopeRunView } from './run-scope';

/** Who looks at a run through their own portfolio. */
export interface RunViewer {
  id: UserId;
  email: string;
}

const COMMON_SYMBOLS: ReadonlySet<string> = new Set(FACTOR_SYMBOLS);

/** The one way to start batch work; user route, admin route, cron and CLI all call `trigger`. */
@Injectable()
export class BatchService {
  constructor(
    private readonly runs: BatchRunRepository,
    private readonly work: BatchWorkRepository,
    private readonly queue: BatchQueue,
    private readonly portfolios: PortfoliosService,
    private readonly tracker: BatchRunTracker,
    private readonly events: BatchEventLog,
  ) {}

  async trigger(request: BatchTriggerRequest, now: Date = new Date()): Promise<BatchRunView> {
    const { dates, startDate, endDate } = resolveRunDates(request, now);
    if (request.portfolioId) await this.portfolios.getAny(request.portfolioId);
    const result = await this.runs.create({
      trigger: request.trigger,
      triggeredBy: request.triggeredBy,
      portfolioId: request.portfolioId ?? null,
      dates,
      startDate,
      endDate,
      force: request.force ?? false,
      scheduledDate: request.scheduledDate ?? null,
      phases: initialPhases(request.onlyPhase ?? null),
      phaseFilter: request.onlyPhase ?? null,
      rerunOf: request.rerunOf ?? null,
    });
    if ('conflict' in result) {
      const detail = result.reason === 'scheduled' ? `A scheduled run for ${request.scheduledDate} exists already` : 'Batch already running';
      throw new RunConflictError(result.reason, result.conflict, detail);
    }
    const runId = result.created;
    try {
      await this.queue.send('batch-run', { runId });
    } catch (e) {
      await this.runs.finish(runId, 'failed', `could not enqueue: ${(e as Error).message}`);
      throw e;
    }
    return (await this.runs.view(runId))!;
  }

  async view(id: BatchRunId): Promise<BatchRunView> {
    const run = await this.runs.view(id);
    if (!run) throw notFound('Batch run');
    return run;
  }

  /** A run as seen from one portfolio: 404 unless the run covers it; only the viewer's part of a shared run. */
  async viewForPortfolio(id: BatchRunId, portfolioId: PortfolioId, viewer: RunViewer): Promise<BatchRunView> {
    const run = await this.runs.view(id);
    if (!run || !(run.portfolio_id === portfolioId || (await this.runs.covers(id, portfolioId)))) throw notFound('Batch run');
    return (await this.scopeForViewer([run], viewer))[0];
  }

  /** The portfolio's recent runs (its own and shared ones), each as its owner may see it. */
  async listForPortfolio(portfolioId: PortfolioId, viewer: RunViewer, page: { limit: number; offset: number }): Promise<BatchRunView[]> {
    const { runs } = await this.runs.list({ portfolioId, ...page });
    return this.scopeForViewer(runs, viewer);
  }

  /** Views of runs cut down to one user's part (their portfolios' counts, symbols and errors). */
  async scopeForViewer(runs: BatchRunView[], viewer: RunViewer): Promise<BatchRunView[]> {
    if (!runs.length) return [];
    const [counts, held] = await Promise.all([this.runs.ownerCounts(runs.map((r) => r.batch_run_id), viewer.id), this.runs.symbolsHeldBy(viewer.id)]);
    const none = { total: 0, completed: 0, failed: 0 };
    return runs.map((run) =>
      scopeRunView(run, { email: viewer.email, portfolios: counts.get(run.batch_run_id) ?? none, heldSymbols: held, commonSymbols: COMMON_SYMBOLS }),
    );
  }

  async detail(id: BatchRunId): Promise<BatchRunView & { results: PortfolioResultView[] }> {
    const run = await this.view(id);
    return { ...run, results: await this.work.results(id) };
  }

  list(filter: { status?: BatchRunStatus; portfolioId?: PortfolioId; limit: number; offset: number }) {
    return this.runs.list(filter);
  }

  /** The latest date a scheduled run completed (the cron's catch-up starts after it). */
  lastScheduledSuccess(): Promise<CalendarDate | null> {
    return this.runs.lastScheduledSuccess();
  }

  current(): Promise<BatchRunView[]> {
    return this.tracker.active();
  }

  /**
   * Cancels a queued or running run at once (its status is `cancelled` in the
   * answer): every later write of the run is fenced off, and the process
   * working its market-data step is told to stop. A cancel that raced the
   * run's end answers that end (202 with the final status); a run ended
   * before is a 409.
   */
  async cancel(id: BatchRunId, by: string): Promise<BatchRunView> {
    const outcome = await this.runs.requestCancel(id, by);
    if (outcome === 'missing') throw notFound('Batch run');
    const run = (await this.runs.view(id))!;
    if (outcome === 'final') throw new DomainError('conflict', `Batch run is already ${run.status}`, { batch_run_id: id, status: run.status });
    if (outcome === 'cancelled') {
      this.queue.broadcast(`cancel:${id}`); // this process at once, the others through NOTIFY
      const started = run.started_at ? Date.parse(run.started_at) : null;
      await this.events.record([
        { runId: id, kind: 'cancel_requested', level: 'warn', phase: run.current_phase, message: `cancelled by ${by}`, details: { by } },
        { runId: id, kind: 'run_finished', level: 'warn', message: `run cancelled by ${by}`,
          details: { status: 'cancelled', error: run.error, portfolios: run.portfolios, duration_ms: started === null ? null : Date.parse(run.finished_at!) - started } },
      ]);
    }
    return run;
  }
}

import { Counter, Histogram, Registry } from 'prom-client';
import { BATCH_STATUSES, PHASES } from '../batch/batch.types';
import type { BatchRunEventView } from '../batch/batch.types';

/** Upper bounds (seconds) of the phase and run duration histograms. */
export const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const FINAL_STATUSES = BATCH_STATUSES.filter((s) => s !== 'queued' && s !== 'running');

/**
 * The batch counters and histograms, moved by the run events this process
 * records (BatchEventLog): nothing is read back from the run history on a
 * scrape, and a counter only goes up. Each event is recorded by exactly one
 * process, so a deployment's figure is the sum over its processes
 * (`sum without (instance)`).
 */
export class BatchEventMetrics {
  /** Updates still reading the database (a scrape waits for them, so it never shows half a run). */

  private readonly events: Counter<'kind' | 'level'>;
  private readonly runs: Counter<'status'>;
  private readonly runDuration: Histogram<'status'>;
  private readonly phaseDuration: Histogram<'phase' | 'outcome'>;
  private readonly portfolios: Counter<'status'>;
  private readonly portfolioFailures: Counter<'phase'>;
  private readonly chunksCompleted: Counter<'phase'>;
  private readonly chunkRetries: Counter;
  private readonly chunkTakeovers: Counter;
  private readonly chunkFailures: Counter;
  private readonly runTakeovers: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.events = new Counter({ name: 'sigmasight_batch_events_total', help: 'Run events recorded by this process, by kind and level.', labelNames: ['kind', 'level'], registers });
    this.runs = new Counter({ name: 'sigmasight_batch_runs_total', help: 'Runs finished (coordinated by this process), by final status.', labelNames: ['status'], registers });
    this.runDuration = new Histogram({
      name: 'sigmasight_batch_run_duration_seconds', help: 'Wall time of finished runs, from start to final state, by final status.',
      labelNames: ['status'], buckets: DURATION_BUCKETS, registers,
    });
    this.phaseDuration = new Histogram({
      name: 'sigmasight_batch_phase_duration_seconds', help: 'Duration of each phase step (one calculation date) that completed or failed.',
      labelNames: ['phase', 'outcome'], buckets: DURATION_BUCKETS, registers,
    });
    this.portfolios = new Counter({ name: 'sigmasight_batch_portfolios_processed_total', help: 'Portfolio results of finished runs: completed or failed.', labelNames: ['status'], registers });
    this.portfolioFailures = new Counter({ name: 'sigmasight_batch_portfolio_failures_total', help: 'Portfolios that failed in a finished run, by the phase that failed.', labelNames: ['phase'], registers });
    this.chunksCompleted = new Counter({ name: 'sigmasight_batch_chunks_completed_total', help: 'Chunk jobs completed, by phase.', labelNames: ['phase'], registers });
    this.chunkRetries = new Counter({ name: 'sigmasight_batch_chunk_retries_total', help: 'Chunk jobs retried after a failure.', registers });
    this.chunkTakeovers = new Counter({ name: 'sigmasight_batch_chunk_takeovers_total', help: 'Chunks taken over from a worker whose lease ran out.', registers });
    this.chunkFailures = new Counter({ name: 'sigmasight_batch_chunk_failures_total', help: 'Chunk jobs that failed after all their retries.', registers });
    this.runTakeovers = new Counter({ name: 'sigmasight_batch_run_takeovers_total', help: 'Runs taken over from a coordinator that died.', registers });
    // every known series from the start, at 0: rate() and absent() work before the first event
    for (const status of FINAL_STATUSES) {
      this.runs.inc({ status }, 0);
      this.runDuration.zero({ status });
    }
    for (const phase of PHASES) {
      for (const outcome of ['completed', 'failed']) this.phaseDuration.zero({ phase, outcome });
      this.chunksCompleted.inc({ phase }, 0);
      this.portfolioFailures.inc({ phase }, 0);
    }
    for (const status of ['completed', 'failed']) this.portfolios.inc({ status }, 0);
    for (const m of [this.chunkRetries, this.chunkTakeovers, this.chunkFailures, this.runTakeovers]) m.inc(0);
  }

  /** The BatchEventLog listener: counts the event at once (a finished run's portfolio results follow one indexed read). */
  readonly onEvent = (e: BatchRunEventView): void => {
    this.events.inc({ kind: e.kind, level: e.level });
    const d = e.details ?? {};
    switch (e.kind) {
      case 'run_finished': {
        const status = typeof d.status === 'string' ? d.status : 'unknown';
        this.runs.inc({ status });
        const ms = Number(d.duration_ms);
        if (Number.isFinite(ms) && ms >= 0) this.runDuration.observe({ status }, ms / 1000);
        // the run's final counts travel with the event: it is recorded in the transaction that ends the run, before the commit
        const counts = (d.portfolios ?? null) as { completed?: unknown; failed?: unknown } | null;
        for (const key of ['completed', 'failed'] as const) {
          const n = Number(counts?.[key]);
          if (Number.isFinite(n) && n > 0) this.portfolios.inc({ status: key }, n);
        }
        break;
      }
      case 'portfolio_failed':
        this.portfolioFailures.inc({ phase: e.phase ?? 'unknown' });
        break;
      case 'phase_completed':
      case 'phase_failed': {
        const ms = Number(d.duration_ms);
        if (e.phase && Number.isFinite(ms) && ms >= 0) {
          this.phaseDuration.observe({ phase: e.phase, outcome: e.kind === 'phase_completed' ? 'completed' : 'failed' }, ms / 1000);
        }
        break;
      }
      case 'chunk_completed':
        this.chunksCompleted.inc({ phase: e.phase ?? 'unknown' });
        break;
      case 'chunk_retried':
        this.chunkRetries.inc();
        break;
      case 'chunk_taken_over':
        this.chunkTakeovers.inc();
        break;
      case 'chunk_failed':
        this.chunkFailures.inc();
        break;
      case 'run_taken_over':
        this.runTakeovers.inc();
        break;
      default:
        break;
    }
  };

}

import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { monitorEventLoopDelay, IntervalHistogram } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { BatchEventsService } from '../batch/batch-events.service';
import { BatchOrchestrator } from '../batch/batch-orchestrator';
import { BatchQueue } from '../batch/batch-queue';
import { BATCH_STATUSES, PHASES } from '../batch/batch.types';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { sqlRows } from '../database/sql';
import { MetricsText } from './prometheus-text';

/** Upper bounds (seconds) of the phase-duration histogram. */
export const PHASE_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const DB_TIMEOUT_MS = 3000;

interface PhaseRow {
  phase: string;
  n: number;
  sum: number;
  buckets: number[];
}

/**
 * Prometheus metrics. Batch state is read from PostgreSQL, so any process
 * (an API process that works no jobs included) reports the whole
 * deployment's runs, results and queue; process metrics (jobs in hand, runs
 * coordinated, memory, event-loop delay) are this process's own. When the
 * database does not answer, the process metrics are still served with
 * `sigmasight_database_up 0`.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: BatchQueue,
    private readonly orchestrator: BatchOrchestrator,
    private readonly events: BatchEventsService,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {
    this.loopDelay.enable();
  }

  async render(): Promise<string> {
    const out = new MetricsText();
    let dbUp = 1;
    try {
      await this.batchMetrics(out);
    } catch (e) {
      dbUp = 0;
      this.logger.warn(`batch metrics unreadable on this scrape (sigmasight_database_up 0): ${(e as Error).message}`);
    }
    out.family('sigmasight_database_up', 'gauge', 'Whether the batch metrics could be read from PostgreSQL on this scrape.', [{ value: dbUp }]);
    this.processMetrics(out);
    return out.toString();
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('metrics query timeout')), DB_TIMEOUT_MS).unref())]);
  }

  private async batchMetrics(out: MetricsText): Promise<void> {
    const bucketSql = PHASE_BUCKETS.map((b) => `count(*) FILTER (WHERE s <= ${b})`).join(', ');
    const [runs, heartbeat, phases, portfolios, chunks, depth] = await this.withTimeout(
      Promise.all([
        sqlRows(this.db, `SELECT status, count(*)::int AS n FROM batch_runs GROUP BY status`) as Promise<Array<{ status: string; n: number }>>,
        sqlRows(this.db, `SELECT coalesce(extract(epoch FROM now() - min(heartbeat_at)), 0)::float8 AS age FROM batch_runs WHERE status = 'running'`) as Promise<
          Array<{ age: number }>
        >,
        sqlRows(
          this.db,
          `WITH d AS (
             SELECT p->>'name' AS phase,
                    extract(epoch FROM (p->>'finished_at')::timestamptz - (p->>'started_at')::timestamptz)::float8 AS s
             FROM batch_runs r CROSS JOIN LATERAL jsonb_array_elements(r.phases) p
             WHERE r.status IN ('completed','partial','failed','cancelled') AND p->>'status' IN ('completed','failed')
               AND p->>'started_at' IS NOT NULL AND p->>'finished_at' IS NOT NULL)
           SELECT phase, count(*)::int AS n, coalesce(sum(s), 0)::float8 AS sum, ARRAY[${bucketSql}]::int[] AS buckets FROM d GROUP BY phase`,
        ) as Promise<PhaseRow[]>,
        sqlRows(this.db, `SELECT status, coalesce(failed_phase, '') AS phase, count(*)::int AS n FROM batch_run_portfolios GROUP BY status, failed_phase`) as Promise<
          Array<{ status: string; phase: string; n: number }>
        >,
        sqlRows(
          this.db,
          `SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed, coalesce(sum(greatest(attempts - 1, 0)), 0)::int AS retries FROM batch_run_chunks`,
        ) as Promise<Array<{ failed: number; retries: number }>>,
        this.queue.queueDepth(),
      ]),
    );
    const byStatus = new Map(runs.map((r) => [r.status, r.n]));
    out.family(
      'sigmasight_batch_runs',
      'gauge',
      'Batch runs in the database by status (queued and running are the active ones).',
      BATCH_STATUSES.map((status) => ({ labels: { status }, value: byStatus.get(status) ?? 0 })),
    );
    out.family('sigmasight_batch_running_heartbeat_age_seconds', 'gauge', 'Age of the oldest heartbeat among running runs (0 when none runs).', [
      { value: heartbeat[0]?.age ?? 0 },
    ]);
    const byPhase = new Map(phases.map((p) => [p.phase, p]));
    out.histogram(
      'sigmasight_batch_phase_duration_seconds',
      'Duration of each phase of finished runs (the last calculation date of a backfill).',
      PHASE_BUCKETS,
      PHASES.map((phase) => {
        const row = byPhase.get(phase);
        return { labels: { phase }, counts: row?.buckets ?? PHASE_BUCKETS.map(() => 0), count: row?.n ?? 0, sum: row?.sum ?? 0 };
      }),
    );
    const done = (status: string) => portfolios.filter((p) => p.status === status).reduce((a, p) => a + p.n, 0);
    out.family('sigmasight_batch_portfolios_processed_total', 'counter', 'Portfolio results of runs: completed or failed.', [
      { labels: { status: 'completed' }, value: done('completed') },
      { labels: { status: 'failed' }, value: done('failed') },
    ]);
    out.family('sigmasight_batch_portfolios_pending', 'gauge', 'Portfolios of runs not yet completed or failed (active runs, and runs that ended early).', [
      { value: done('pending') },
    ]);
    const failures = portfolios.filter((p) => p.status === 'failed');
    out.family(
      'sigmasight_batch_portfolio_failures_total',
      'counter',
      'Portfolios that failed in a run, by the phase that failed.',
      ['market_data', 'pnl_snapshots', 'risk_analytics'].map((phase) => ({
        labels: { phase },
        value: failures.filter((f) => f.phase === phase).reduce((a, f) => a + f.n, 0),
      })),
    );
    out.family('sigmasight_batch_chunk_failures_total', 'counter', 'Chunk jobs that failed after all their retries.', [{ value: chunks[0]?.failed ?? 0 }]);
    out.family('sigmasight_batch_chunk_retries_total', 'counter', 'Extra attempts of chunk jobs (a worker died or a job failed, and it was retried).', [
      { value: chunks[0]?.retries ?? 0 },
    ]);
    out.family(
      'sigmasight_batch_queue_depth',
      'gauge',
      'Jobs waiting to be worked (created or waiting for a retry), by pg-boss queue.',
      Object.entries(depth).map(([queue, n]) => ({ labels: { queue }, value: n })),
    );
  }

  private processMetrics(out: MetricsText): void {
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    out.family('sigmasight_process_info', 'gauge', 'This process: its role (all, api, worker).', [{ labels: { role: this.settings.processRole }, value: 1 }]);
    out.family(
      'sigmasight_batch_jobs_in_flight',
      'gauge',
      'Jobs this process is working on now, by queue.',
      Object.entries(this.queue.jobsInFlight()).map(([queue, n]) => ({ labels: { queue }, value: n })),
    );
    out.family(
      'sigmasight_batch_jobs_total',
      'counter',
      'Jobs this process finished, by queue and outcome (a failed job is retried within its retry limit).',
      this.queue.jobsDone().map((d) => ({ labels: { queue: d.queue, outcome: d.outcome }, value: d.n })),
    );
    out.family('sigmasight_batch_runs_coordinated', 'gauge', 'Runs this process coordinates now.', [{ value: this.orchestrator.coordinatedRuns().length }]);
    out.family('sigmasight_queue_errors_total', 'counter', 'pg-boss errors in this process (dropped connections, failed polls).', [{ value: this.queue.errorCount }]);
    out.family('sigmasight_batch_event_streams', 'gauge', 'Open batch-status event streams (SSE) in this process.', [{ value: this.events.streamCount }]);
    out.family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [{ value: mem.rss }]);
    out.family('nodejs_heap_used_bytes', 'gauge', 'V8 heap used in bytes.', [{ value: mem.heapUsed }]);
    out.family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent in seconds.', [{ value: (cpu.user + cpu.system) / 1e6 }]);
    out.family('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch in seconds.', [
      { value: Math.round(Date.now() / 1000 - process.uptime()) },
    ]);
    const p99 = this.loopDelay.percentile(99) / 1e9;
    this.loopDelay.reset();
    out.family('nodejs_eventloop_delay_p99_seconds', 'gauge', 'p99 of the event-loop delay since the previous scrape.', [{ value: Number.isFinite(p99) ? p99 : 0 }]);
  }

  onModuleDestroy(): void {
    this.loopDelay.disable();
  }
}

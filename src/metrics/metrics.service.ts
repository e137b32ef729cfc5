import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { BatchEventLog } from '../batch/batch-event-log';
import { BatchEventsService } from '../batch/batch-events.service';
import { BatchOrchestrator } from '../batch/batch-orchestrator';
import { BatchQueue } from '../batch/batch-queue';
import { ACTIVE_STATUSES } from '../batch/batch.types';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { sqlRows } from '../database/sql';
import { BatchEventMetrics } from './batch-event-metrics';
import { HttpMetrics } from './http-metrics';

const DB_TIMEOUT_MS = 3000;

/**
 * Prometheus metrics with prom-client, one registry per app:
 * - process metrics (prom-client's defaults: memory, CPU, event-loop lag, GC);
 * - batch counters and histograms moved by run events as they happen
 *   (BatchEventMetrics), never recomputed from the run history;
 * - gauges read at scrape time, each a constant-cost read: queue depth
 *   (pg-boss), active runs and the oldest running heartbeat (the partial
 *   index of active runs), and this process's jobs in hand, runs coordinated,
 *   event streams and pg-boss errors.
 * When the database does not answer, the in-process metrics are still served
 * with `sigmasight_database_up 0`.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  readonly registry = new Registry();
  readonly http: HttpMetrics;
  private readonly batch: BatchEventMetrics;
  private readonly unsubscribe: () => void;
  private readonly databaseUp: Gauge;
  private readonly activeRuns: Gauge<'status'>;
  private readonly heartbeatAge: Gauge;
  private readonly queueDepth: Gauge<'queue'>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: BatchQueue,
    private readonly orchestrator: BatchOrchestrator,
    private readonly streams: BatchEventsService,
    eventLog: BatchEventLog,
    @Inject(SETTINGS) settings: AppSettings,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.batch = new BatchEventMetrics(this.registry);
    this.unsubscribe = eventLog.subscribe(this.batch.onEvent);
    this.http = new HttpMetrics(this.registry);

    this.databaseUp = new Gauge({ name: 'sigmasight_database_up', help: 'Whether PostgreSQL answered the gauges read on this scrape.', registers });
    this.activeRuns = new Gauge({ name: 'sigmasight_batch_active_runs', help: 'Runs queued or running now, in the whole deployment.', labelNames: ['status'], registers });
    this.heartbeatAge = new Gauge({
      name: 'sigmasight_batch_running_heartbeat_age_seconds', help: 'Age of the oldest heartbeat among running runs (0 when none runs).', registers,
    });
    this.queueDepth = new Gauge({ name: 'sigmasight_batch_queue_depth', help: 'Jobs waiting to be worked (created or waiting for a retry), by pg-boss queue.', labelNames: ['queue'], registers });

    const gauge = (name: string, help: string, collect: (g: Gauge<string>) => void, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers, collect(this: Gauge<string>) { collect(this); } });
    gauge('sigmasight_process_info', 'This process: its role (all, api, worker).', (g) => g.set({ role: settings.processRole }, 1), ['role']);
    gauge('sigmasight_batch_jobs_in_flight', 'Jobs this process is working on now, by queue.', (g) => {
      for (const [queue, n] of Object.entries(this.queue.jobsInFlight())) g.set({ queue }, n);
    }, ['queue']);
    gauge('sigmasight_batch_runs_coordinated', 'Runs this process coordinates now.', (g) => g.set(this.orchestrator.coordinatedRuns().length));
    gauge('sigmasight_batch_event_streams', 'Open batch-status event streams (SSE) in this process.', (g) => g.set(this.streams.streamCount));
    gauge('sigmasight_batch_events_listening', 'Whether run events of other processes reach this one by LISTEN/NOTIFY (0: the 1 s fallback poll only).', (g) =>
      g.set(this.streams.listening ? 1 : 0));

    // the queue keeps its own running totals; these counters follow them (they only grow)
    let seenErrors = 0;
    new Counter({
      name: 'sigmasight_queue_errors_total', help: 'pg-boss errors in this process (dropped connections, failed polls).', registers,
      collect(this: Counter) {
        const n = queue.errorCount;
        if (n > seenErrors) this.inc(n - seenErrors);
        seenErrors = Math.max(seenErrors, n);
      },
    });
    const seenReads = { event: 0, notify: 0, poll: 0 };
    new Counter({
      name: 'sigmasight_batch_event_stream_reads_total', help: 'Reads of watched runs for the event streams, by cause: an event here, a NOTIFY from another process, the fallback poll.',
      labelNames: ['cause'], registers,
      collect(this: Counter<'cause'>) {
        for (const cause of ['event', 'notify', 'poll'] as const) {
          const n = streams.reads[cause];
          this.inc({ cause }, Math.max(0, n - seenReads[cause]));
          seenReads[cause] = Math.max(seenReads[cause], n);
        }
      },
    });
    const seenJobs = new Map<string, number>();
    new Counter({
      name: 'sigmasight_batch_jobs_total', help: 'Jobs this process finished, by queue and outcome (a failed job is retried within its retry limit).',
      labelNames: ['queue', 'outcome'], registers,
      collect(this: Counter<'queue' | 'outcome'>) {
        for (const d of queue.jobsDone()) {
          const key = `${d.queue}|${d.outcome}`;
          const before = seenJobs.get(key) ?? 0;
          this.inc({ queue: d.queue, outcome: d.outcome }, Math.max(0, d.n - before));
          seenJobs.set(key, Math.max(before, d.n));
        }
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    await this.readDatabaseGauges();
    return spellNaN(await this.registry.metrics());
  }

  /** Three constant-cost reads: the active runs (partial index), the oldest heartbeat among them, the queue sizes. */
  private async readDatabaseGauges(): Promise<void> {
    try {
      const [runs, depth] = await this.withTimeout(
        Promise.all([
          sqlRows(
            this.db,
            `SELECT status, count(*)::int AS n, coalesce(extract(epoch FROM now() - min(heartbeat_at)), 0)::float8 AS age
             FROM batch_runs WHERE status IN ('queued','running') GROUP BY status`,
          ) as Promise<Array<{ status: string; n: number; age: number }>>,
          this.queue.queueDepth(),
        ]),
      );
      for (const status of ACTIVE_STATUSES) this.activeRuns.set({ status }, runs.find((r) => r.status === status)?.n ?? 0);
      this.heartbeatAge.set(runs.find((r) => r.status === 'running')?.age ?? 0);
      this.queueDepth.reset();
      for (const [queue, n] of Object.entries(depth)) this.queueDepth.set({ queue }, n);
      this.databaseUp.set(1);
    } catch (e) {
      this.databaseUp.set(0);
      this.logger.warn(`batch gauges unreadable on this scrape (sigmasight_database_up 0): ${(e as Error).message}`);
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('metrics query timeout')), DB_TIMEOUT_MS);
      timer.unref();
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}

/**
 * prom-client 15 writes a NaN sample as `Nan` (the event-loop lag before its
 * first sample, for instance); the exposition format spells it `NaN`.
 */
export function spellNaN(text: string): string {
  return text.replace(/ Nan$/gm, ' NaN');
}

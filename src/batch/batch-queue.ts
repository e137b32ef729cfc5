import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { DATABASE_URL, EMBEDDED_DATABASE } from '../database/database.module';
import { BatchChannel } from './batch-channel';

/**
 * Every queue of the service. Batch queues are registered by BatchLifecycle;
 * other modules (alerts, webhooks, retention) register theirs in
 * `onModuleInit`, before the queue starts in `onApplicationBootstrap`.
 */
export type JobName = 'batch-run' | 'batch-chunk' | 'batch-retention' | 'limits-evaluate' | 'webhook-delivery';

export interface JobDefinition {
  /** Retries after a failure or an expiry (a dead worker's job expires and is retried elsewhere). */
  retryLimit: number;
  expireInSeconds: number;
  /** Seconds before a retry (default 1); with `retryBackoff` the delay doubles each attempt. */
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Concurrent local workers for this queue. */
  workers: number;
}

/** Advisory-lock key serialising queue declaration across processes starting together. */
const QUEUE_SETUP_LOCK_KEY = 727_002;

type Handler = (job: PgBoss.JobWithMetadata<Record<string, unknown>>) => Promise<void>;

/**
 * pg-boss on the app's PostgreSQL. Handlers register once each; `start`
 * refuses to run when a declared queue has no handler, so a job can never sit
 * unworked because its handler was forgotten.
 *
 * Delivery is at least once: a job whose worker dies is failed by pg-boss's
 * maintenance once its `expireInSeconds` lease is over and retried elsewhere
 * (within `retryLimit`), so every handler must be idempotent. pg-boss errors
 * (a dropped connection, a failed poll) are logged and counted, never thrown:
 * its pool reconnects on the next query.
 */
@Injectable()
export class BatchQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('BatchQueue');
  private boss: PgBoss | null = null;
  private readonly handlers = new Map<JobName, { def: JobDefinition; handler: Handler }>();
  private readonly workerIds = new Map<JobName, string[]>();
  private readonly inFlight = new Map<string, { queue: JobName; startedAt: number }>();
  private readonly done = new Map<JobName, { completed: number; failed: number }>();
  private stopping: Promise<void> | null = null;
  /** Settles when `start` has finished (or failed): sends made during start-up wait for it. */
  private readonly started: Promise<void>;
  private markStarted!: (error?: Error) => void;
  /** pg-boss 'error' events since start (connection losses, failed polls). */
  errorCount = 0;
  /** The LISTEN/NOTIFY connection (server only: the embedded database has one process). */
  private channel: BatchChannel | null = null;
  private readonly listeners = new Set<(message: string) => void>();

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(SETTINGS) private readonly settings: AppSettings,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: boolean,
  ) {
    this.started = new Promise<void>((resolve, reject) => {
      this.markStarted = (error) => (error ? reject(error) : resolve());
    });
    // start() rethrows its own failure to its caller; this only keeps the shared promise from an unhandled rejection
    this.started.catch(() => undefined);
  }

  register(name: JobName, def: JobDefinition, handler: Handler): void {
    if (this.handlers.has(name)) throw new Error(`job handler for ${name} registered twice`);
    this.handlers.set(name, { def, handler });
  }

  /** Connects, creates the queues and (when `work`) starts the local workers. */
  async start(work: boolean, declared: JobName[]): Promise<void> {
    try {
      await this.doStart(work, declared);
      this.markStarted();
    } catch (e) {
      this.markStarted(e as Error);
      throw e;
    }
  }

  private async doStart(work: boolean, declared: JobName[]): Promise<void> {
    const missing = declared.filter((n) => !this.handlers.has(n));
    if (missing.length) throw new Error(`no job handler registered for: ${missing.join(', ')}`);
    // Maintenance is what expires a dead worker's jobs: run it often enough that a
    // lost chunk comes back soon after its lease ends (one process per interval does it).
    const maintenanceIntervalSeconds = Math.min(15, Math.max(2, Math.ceil(this.settings.batchChunkExpireSeconds / 4)));
    const boss = new PgBoss({ connectionString: this.databaseUrl, max: 4, application_name: 'sigmasight-pgboss', maintenanceIntervalSeconds });
    boss.on('error', (err: Error) => {
      this.errorCount++;
      this.logger.error(`pg-boss: ${err?.message ?? String(err)}`);
    });
    await boss.start();
    this.boss = boss;
    await this.declareQueues(boss);
    if (work) await this.startWorkers();
    if (!this.embedded) await this.listen();
  }

  /**
   * pg-boss's `notifyWorker` wakes this process's workers only; a send also
   * NOTIFYs every process, whose workers then fetch at once instead of at
   * their next poll — so chunks spread over all processes, not mostly the
   * sender's.
   */
  private async listen(): Promise<void> {
    this.channel = new BatchChannel(this.databaseUrl, (message) => this.deliver(message));
    await this.channel.open();
  }

  private deliver(message: string): void {
    if (message.startsWith('wake:')) return this.wake(message.slice(5) as JobName);
    for (const l of this.listeners) {
      try {
        l(message);
      } catch (e) {
        this.logger.error(`a batch broadcast listener failed: ${(e as Error).message}`);
      }
    }
  }

  /** Tells every process (this one at once) `message`; best effort (a process that misses it learns from the database). */
  broadcast(message: string): void {
    this.deliver(message);
    this.channel?.notify(message);
  }

  onBroadcast(listener: (message: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Creates missing queues and applies the current options, one process at a
   * time: pg-boss's create_queue run by several processes at once deadlocks.
   */
  private async declareQueues(boss: PgBoss): Promise<void> {
    const lock = new Client({ connectionString: this.databaseUrl, application_name: 'sigmasight-pgboss-setup' });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK_KEY]);
      for (const [name, { def }] of this.handlers) {
        const options = { name, retryLimit: def.retryLimit, retryDelay: def.retryDelay ?? 1, retryBackoff: def.retryBackoff ?? false, expireInSeconds: def.expireInSeconds };
        if (!(await boss.getQueue(name))) await boss.createQueue(name, options);
        await boss.updateQueue(name, options);
      }
    } finally {
      await lock.end(); // ends the session, which releases the lock
    }
  }

  private async startWorkers(): Promise<void> {
    for (const [name, { def, handler }] of this.handlers) {
      const ids: string[] = [];
      for (let i = 0; i < def.workers; i++) {
        let workerId = '';
        workerId = await this.boss!.work<Record<string, unknown>>(name, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, async ([job]) => {
          this.inFlight.set(job.id, { queue: name, startedAt: Date.now() });
          const counts = this.done.get(name) ?? { completed: 0, failed: 0 };
          this.done.set(name, counts);
          try {
            await handler(job);
            counts.completed++;
          } catch (e) {
            counts.failed++;
            throw e;
          } finally {
            this.inFlight.delete(job.id);
            // fetch the next job at once: pg-boss would otherwise sleep out the rest of its
            // polling interval after a job shorter than it (most chunks), idling the slot
            if (workerId) this.boss?.notifyWorker(workerId);
          }
        });
        ids.push(workerId);
      }
      this.workerIds.set(name, ids);
    }
  }


  async send(name: JobName, data: object): Promise<void> {
    await (await this.ready()).send(name, data);
    this.broadcast(`wake:${name}`);
  }

  async sendMany(name: JobName, items: object[]): Promise<void> {
    if (!items.length) return;
    await (await this.ready()).insert(items.map((data) => ({ name, data })));
    this.broadcast(`wake:${name}`);
  }

  /**
   * Inserts jobs through the caller's statement runner, e.g. inside a TypeORM
   * transaction: the jobs exist if and only if that transaction commits (a
   * transactional outbox). A job's `id` (uuid) makes inserting it again a
   * no-op. Local workers are woken at their next poll (<= 0.5 s).
   */
  async insertWith(run: (sql: string, params: unknown[]) => Promise<unknown[]>, name: JobName, jobs: Array<{ id: string; data: object }>): Promise<void> {
    if (!jobs.length) return;
    const db: PgBoss.Db = { executeSql: async (text, values) => ({ rows: await run(text, values ?? []) }) };
    await (await this.ready()).insert(jobs.map((j) => ({ name, id: j.id, data: j.data })), { db });
  }

  /** Wakes the local workers of a queue now rather than at their next poll. */
  private wake(name: JobName): void {
    for (const id of this.workerIds.get(name) ?? []) this.boss?.notifyWorker(id);
  }

  /** Jobs this process is working on now, by queue. */
  jobsInFlight(): Record<string, number> {
    const counts = Object.fromEntries([...this.handlers.keys()].map((name) => [name, 0]));
    for (const j of this.inFlight.values()) counts[j.queue]++;
    return counts;
  }

  /** The jobs this process is working on now, with how long each has run. */
  inFlightJobs(): Array<{ queue: JobName; id: string; age_ms: number }> {
    const now = Date.now();
    return [...this.inFlight].map(([id, j]) => ({ queue: j.queue, id, age_ms: now - j.startedAt }));
  }

  /** Jobs this process has finished since start, by queue and outcome. */
  jobsDone(): Array<{ queue: string; outcome: 'completed' | 'failed'; n: number }> {
    return [...this.handlers.keys()].flatMap((queue) => {
      const c = this.done.get(queue) ?? { completed: 0, failed: 0 };
      return [
        { queue, outcome: 'completed' as const, n: c.completed },
        { queue, outcome: 'failed' as const, n: c.failed },
      ];
    });
  }

  /** Jobs waiting to be worked (created or waiting for a retry), by queue, across all processes. */
  async queueDepth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of this.handlers.keys()) out[name] = (await this.boss?.getQueueSize(name)) ?? 0;
    return out;
  }

  /**
   * Stops taking jobs and waits up to `timeoutMs` for the ones in hand; those
   * still running then are failed back to the queue ("pg-boss shut down while
   * active") and retried by another process. Idempotent.
   */
  stop(timeoutMs = this.settings.shutdownGraceSeconds * 1000): Promise<void> {
    this.stopping ??= this.doStop(timeoutMs);
    return this.stopping;
  }

  private async doStop(timeoutMs: number): Promise<void> {
    await this.channel?.close();
    const boss = this.boss;
    if (!boss) return;
    try {
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
    } catch (e) {
      this.logger.error(`pg-boss did not stop cleanly: ${(e as Error).message}`);
    } finally {
      this.boss = null;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * The running queue. A send made while the app is still starting (the cron
   * can fire before the queue is up) waits for the start, up to 30 s.
   */
  private async ready(): Promise<PgBoss> {
    if (!this.boss && !this.stopping) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 30_000)));
      await Promise.race([this.started.catch((e: Error) => this.logger.warn(`a send waited for a job queue that failed to start: ${e.message}`)), timeout]);
      clearTimeout(timer);
    }
    // while stopping (draining) sends still go through: another process works them
    if (!this.boss) throw new Error('job queue is not running');
    return this.boss;
  }
}

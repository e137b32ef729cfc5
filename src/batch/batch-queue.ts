import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { DATABASE_URL } from '../database/database.module';

export type JobName = 'batch-run' | 'batch-chunk';

export interface JobDefinition {
  /** Retries after a failure or an expiry (a dead worker's job expires and is retried elsewhere). */
  retryLimit: number;
  expireInSeconds: number;
  /** Concurrent local workers for this queue. */
  workers: number;
}

type Handler = (job: PgBoss.JobWithMetadata<Record<string, unknown>>) => Promise<void>;

/**
 * pg-boss on the app's PostgreSQL. Handlers register once each; `start`
 * refuses to run when a declared queue has no handler, so a job can never sit
 * unworked because its handler was forgotten.
 */
@Injectable()
export class BatchQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('BatchQueue');
  private boss: PgBoss | null = null;
  private readonly handlers = new Map<JobName, { def: JobDefinition; handler: Handler }>();
  private readonly workerIds = new Map<JobName, string[]>();

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  register(name: JobName, def: JobDefinition, handler: Handler): void {
    if (this.handlers.has(name)) throw new Error(`job handler for ${name} registered twice`);
    this.handlers.set(name, { def, handler });
  }

  /** Connects, creates the queues and (when `work`) starts the local workers. */
  async start(work: boolean, declared: JobName[]): Promise<void> {
    const missing = declared.filter((n) => !this.handlers.has(n));
    if (missing.length) throw new Error(`no job handler registered for: ${missing.join(', ')}`);
    const boss = new PgBoss({ connectionString: this.databaseUrl, max: 4, application_name: 'sigmasight-pgboss', maintenanceIntervalSeconds: 15 });
    boss.on('error', (err) => this.logger.error(`pg-boss: ${err.message}`));
    await boss.start();
    this.boss = boss;
    for (const [name, { def }] of this.handlers) {
      await boss.createQueue(name, { name, retryLimit: def.retryLimit, retryDelay: 1, expireInSeconds: def.expireInSeconds });
      await boss.updateQueue(name, { name, retryLimit: def.retryLimit, retryDelay: 1, expireInSeconds: def.expireInSeconds });
    }
    if (work) await this.startWorkers();
  }

  private async startWorkers(): Promise<void> {
    for (const [name, { def, handler }] of this.handlers) {
      const ids: string[] = [];
      for (let i = 0; i < def.workers; i++) {
        ids.push(
          await this.boss!.work<Record<string, unknown>>(name, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, async ([job]) => {
            await handler(job);
          }),
        );
      }
      this.workerIds.set(name, ids);
    }
  }

  async send(name: JobName, data: object): Promise<void> {
    await this.requireBoss().send(name, data);
    this.wake(name);
  }

  async sendMany(name: JobName, items: object[]): Promise<void> {
    if (!items.length) return;
    await this.requireBoss().insert(items.map((data) => ({ name, data })));
    this.wake(name);
  }

  /** Wakes the local workers of a queue now rather than at their next poll. */
  private wake(name: JobName): void {
    for (const id of this.workerIds.get(name) ?? []) this.boss?.notifyWorker(id);
  }

  async queueDepth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of this.handlers.keys()) out[name] = (await this.boss?.getQueueSize(name)) ?? 0;
    return out;
  }

  /** Stops taking jobs and waits up to `timeoutMs` for the ones in hand. */
  async stop(timeoutMs = 20_000): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    if (!boss) return;
    await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('job queue is not running');
    return this.boss;
  }
}

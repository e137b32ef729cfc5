import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** LISTEN/NOTIFY channel: `wake:<queue>` (jobs were sent) and the batch's own broadcasts (e.g. `cancel:<run id>`). */
const CHANNEL = 'sigmasight_batch';

/**
 * One LISTEN connection to the batch channel (server only: the embedded
 * database has one process). A lost connection is re-opened after a second;
 * meanwhile the queue's polling and the database still carry everything, so
 * a message missed here costs only a delay.
 */
export class BatchChannel {
  private readonly logger = new Logger('BatchChannel');
  private client: Client | null = null;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onMessage: (message: string) => void,
  ) {}

  async open(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'sigmasight-batch-channel' });
    const retry = () => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined); // the connection is already broken; its error was the reason for this retry
      if (!this.closed) setTimeout(() => void this.open().catch((e) => this.logger.warn(`batch channel: ${(e as Error).message}`)), 1000).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (n) => this.onMessage(n.payload ?? ''));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
    } catch (e) {
      this.logger.warn(`batch channel: ${(e as Error).message}; retrying`);
      this.client = client;
      retry();
    }
  }

  /** NOTIFYs every process; best effort (a process that misses it learns from the database: heartbeat, lease sweep, fenced writes). */
  notify(message: string): void {
    this.client?.query('SELECT pg_notify($1, $2)', [CHANNEL, message]).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined); // stopping: a LISTEN connection that fails to close cleanly loses nothing
  }
}

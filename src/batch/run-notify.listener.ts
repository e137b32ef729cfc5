import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
/** How long the probe NOTIFY may take to come back before LISTEN counts as unavailable. */
const PROBE_TIMEOUT_MS = 3_000;
/** After a failed probe (the embedded database, a transaction pooler), how long before trying again. */
const RETRY_AFTER_PROBE_MS = 300_000;

/**
 * A dedicated PostgreSQL connection LISTENing on one channel, reconnecting
 * with backoff when dropped. After each LISTEN it proves delivery with a probe
 * NOTIFY sent through another connection (`sendProbe`): the embedded PGlite
 * serves every socket from one session and a transaction pooler drops
 * LISTEN, and both would otherwise look fine while delivering nothing.
 * `onReady` runs after each (re)connection: notifications sent while away
 * are lost, so the owner re-reads what it watches.
 */
export class RunNotifyListener {
  private readonly logger = new Logger('RunNotify');
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private backoff = RECONNECT_MIN_MS;
  private started = false;
  private closed = false;
  private probe: { payload: string; heard: () => void } | null = null;
  /** True while notifications are known to arrive. */
  listening = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: { onPayload: (payload: string) => void; onReady: () => void; sendProbe: (channel: string, payload: string) => Promise<void> },
  ) {}

  /** Connects once (later calls do nothing). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.timer = null;
    if (this.closed) return;
    const c = new Client({ connectionString: this.url, application_name: 'sigmasight-listen' });
    this.client = c;
    c.on('error', (e) => this.dropped(c, e));
    c.on('end', () => this.dropped(c, null));
    c.on('notification', (n) => {
      if (n.channel !== this.channel || !n.payload) return;
      if (this.probe && n.payload === this.probe.payload) this.probe.heard();
      else this.handlers.onPayload(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${this.channel}`);
      if (!(await this.probeDelivery())) {
        this.logger.log(`LISTEN ${this.channel} delivers nothing here (embedded database or a pooler): live status relies on in-process events and the fallback poll`);
        await c.query('UNLISTEN *').catch(() => undefined);
        this.client = null;
        await c.end().catch(() => undefined);
        this.schedule(RETRY_AFTER_PROBE_MS);
        return;
      }
      if (this.closed || this.client !== c) return;
      this.listening = true;
      this.backoff = RECONNECT_MIN_MS;
      this.handlers.onReady();
    } catch (e) {
      this.dropped(c, e as Error);
    }
  }

  private async probeDelivery(): Promise<boolean> {
    const payload = `probe:${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.probe = { payload, heard: () => resolve(true) };
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    try {
      await this.handlers.sendProbe(this.channel, payload);
      return await heard;
    } finally {
      clearTimeout(timer);
      this.probe = null;
    }
  }

  private dropped(c: Client, e: Error | null): void {
    if (this.client !== c) return;
    this.client = null;
    this.listening = false;
    c.end().catch(() => undefined);
    if (this.closed) return;
    this.logger.warn(`LISTEN ${this.channel} connection lost${e ? `: ${e.message}` : ''}; reconnecting in ${this.backoff} ms (the fallback poll covers the gap)`);
    this.schedule(this.backoff);
    this.backoff = Math.min(this.backoff * 2, RECONNECT_MAX_MS);
  }

  private schedule(ms: number): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => void this.connect(), ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.listening = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

import { Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { EventOutbox } from '../webhooks/event-outbox';
import { notificationBody, NOTIFICATION_TYPES, NotificationView } from '../webhooks/notification-types';

/** How often the shared poller reads new notifications (one statement for all streams of the process). */
export const ALERT_POLL_MS = 500;
const PING_MS = 15_000;
const RETRY_MS = 2_000;
/**
 * Event ids come from a sequence, assigned before commit: a transaction can
 * commit a lower id after a higher one was read. Re-reading this window of
 * recent events (deduplicated per stream) still delivers such a late commit.
 */
const LATE_COMMIT_WINDOW = '30 seconds';

interface Watcher {
  sub: Subscriber<MessageEvent>;
  userId: string;
  portfolioId: string | null;
  /** Events up to this seq existed before the stream (or Last-Event-ID) and are not sent. */
  start: number;
  /** Highest seq sent. */
  cursor: number;
  sent: Map<number, number>;
  lastSentAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * A user's live notifications over SSE (`alert.opened`, `alert.resolved`,
 * `batch.completed`), whichever process recorded them: every API process
 * polls the notification outbox table every 500 ms, one statement for all its
 * streams. A stream resumes after `Last-Event-ID` (the event `id` is the
 * outbox sequence), so a reconnecting EventSource misses nothing.
 */
@Injectable()
export class AlertStreamService implements OnModuleDestroy {
  private readonly logger = new Logger('AlertStream');
  private readonly watchers = new Set<Watcher>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;
  private failing = false;

  constructor(private readonly outbox: EventOutbox) {}

  get streamCount(): number {
    return this.watchers.size;
  }

  /** The stream of `userId` (optionally one portfolio) after `since` (null: from now), ended by the server after `maxSeconds`. */
  async watch(userId: string, portfolioId: string | null, since: number | null, maxSeconds: number): Promise<Observable<MessageEvent>> {
    const start = since ?? (await this.outbox.lastSeq());
    if (maxSeconds === 0) return this.catchUp(userId, portfolioId, start);
    return new Observable<MessageEvent>((sub) => {
      const w: Watcher = { sub, userId, portfolioId, start, cursor: start, sent: new Map(), lastSentAt: Date.now(), timer: null };
      if (this.closed) {
        this.sendShutdown(w);
        return;
      }
      sub.next({ type: 'ready', id: String(start), retry: RETRY_MS, data: { last_event_id: start } });
      w.timer = setTimeout(() => {
        sub.next({ type: 'end', data: { detail: `stream ended after ${maxSeconds} s: reconnect with Last-Event-ID ${w.cursor}`, last_event_id: w.cursor } });
        sub.complete();
      }, maxSeconds * 1000);
      w.timer.unref();
      this.watchers.add(w);
      this.ensurePolling();
      return () => {
        if (w.timer) clearTimeout(w.timer);
        this.watchers.delete(w);
        if (this.watchers.size === 0) this.stopPolling();
      };
    });
  }

  /** `max_seconds=0`: the events after `start` (up to 500), then the end of the stream — a one-shot read. */
  private async catchUp(userId: string, portfolioId: string | null, start: number): Promise<Observable<MessageEvent>> {
    const events = await this.outbox.readRecent([userId], start, start, '0 seconds', NOTIFICATION_TYPES);
    const w: Watcher = { sub: null as never, userId, portfolioId, start, cursor: start, sent: new Map(), lastSentAt: 0, timer: null };
    const wanted = events.filter((e) => this.wants(w, e));
    const cursor = wanted.length ? wanted[wanted.length - 1].seq : start;
    return new Observable<MessageEvent>((sub) => {
      sub.next({ type: 'ready', id: String(start), retry: RETRY_MS, data: { last_event_id: start } });
      for (const e of wanted) sub.next({ id: String(e.seq), type: e.type, data: notificationBody(e) });
      sub.next({ type: 'end', data: { detail: 'max_seconds=0: the events so far, then the end', last_event_id: cursor } });
      sub.complete();
    });
  }

  private ensurePolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), ALERT_POLL_MS);
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.watchers.size === 0) return;
    this.polling = true;
    try {
      const ws = [...this.watchers];
      const users = [...new Set(ws.map((w) => w.userId))];
      const from = Math.min(...ws.map((w) => w.start));
      const events = await this.outbox.readRecent(users, from, Math.min(...ws.map((w) => w.cursor)), LATE_COMMIT_WINDOW, NOTIFICATION_TYPES);
      this.failing = false;
      const now = Date.now();
      for (const w of ws) {
        for (const e of events) if (this.wants(w, e)) this.send(w, e, now);
        if (now - w.lastSentAt >= PING_MS) {
          w.lastSentAt = now;
          w.sub.next({ type: 'ping', data: { at: new Date(now).toISOString() } });
        }
        for (const [seq, at] of w.sent) if (now - at > 120_000) w.sent.delete(seq);
      }
    } catch (e) {
      if (!this.failing) this.logger.warn(`notification poller cannot read: ${(e as Error).message}`);
      this.failing = true;
    } finally {
      this.polling = false;
    }
  }

  private wants(w: Watcher, e: NotificationView): boolean {
    return e.user_id === w.userId && e.seq > w.start && !w.sent.has(e.seq) && (w.portfolioId === null || e.portfolio_id === w.portfolioId || (e.data.portfolio_ids as string[] | undefined)?.includes(w.portfolioId) === true);
  }

  private send(w: Watcher, e: NotificationView, now: number): void {
    w.sent.set(e.seq, now);
    w.cursor = Math.max(w.cursor, e.seq);
    w.lastSentAt = now;
    w.sub.next({ id: String(e.seq), type: e.type, data: notificationBody(e) });
  }

  private sendShutdown(w: Watcher): void {
    w.sub.next({ type: 'shutdown', data: { detail: 'Server shutting down; reconnect with Last-Event-ID' } });
    w.sub.complete();
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.stopPolling();
    for (const w of [...this.watchers]) this.sendShutdown(w);
    this.watchers.clear();
  }
}

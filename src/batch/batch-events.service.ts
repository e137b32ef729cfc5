import { Inject, Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Observable, Subscriber } from 'rxjs';
import { DataSource } from 'typeorm';
import type { BatchRunId } from '../common/branded';
import { DATABASE_URL } from '../database/database.module';
import { sqlRows } from '../database/sql';
import { BATCH_NOTIFY_CHANNEL, BatchEventLog } from './batch-event-log';
import { BatchRunRepository } from './batch-run.repository';
import { ACTIVE_STATUSES, BatchRunEventView, BatchRunView } from './batch.types';
import { RunNotifyListener } from './run-notify.listener';

/** The fallback poll: what no run event covers, and every run when LISTEN is down. */
export const EVENTS_FALLBACK_POLL_MS = 1_000;
/** A `ping` event after this long without a change keeps proxies from closing an idle stream. */
export const EVENTS_PING_MS = 15_000;
/** EventSource reconnect delay sent with the first event. */
const RETRY_MS = 2_000;

/** What a stream shows of a run (a user sees only their part of a shared run); absent: the whole view. */
export type ViewProjection = (view: BatchRunView) => Promise<BatchRunView>;

interface Watcher {
  sub: Subscriber<MessageEvent>;
  project?: ViewProjection;
  /** Signature of the last raw view read (a projection is re-read only when it changed). */
  lastRaw: string;
  /** Signature of the last view sent. */
  last: string;
  lastSentAt: number;
  seq: number;
}

/** What a client sees change: status, phase, progress, counts, error (not the heartbeat). */
function signature(v: BatchRunView): string {
  return JSON.stringify([v.status, v.current_phase, v.dates, v.phases.map((p) => [p.name, p.status, p.done, p.total]), v.portfolios, v.error]);
}

const isFinal = (v: BatchRunView) => !ACTIVE_STATUSES.includes(v.status);

/**
 * Live batch-run status for Server-Sent Events, pushed as the run moves.
 * Run state lives in PostgreSQL and the work may happen in any process, so a
 * watched run's view is read again (one statement for every run that moved)
 * when:
 * - this process records an event of the run (BatchEventLog.subscribe:
 *   phases, chunk progress, the end), at once;
 * - another process does: BatchEventLog NOTIFYs `sigmasight_batch` with the
 *   run id and a dedicated connection LISTENs (reconnecting when dropped);
 * - the fallback poll (every 1 s) comes round: for what no event covers, and
 *   for everything while LISTEN is unavailable (the embedded database serves
 *   one process, whose own events are heard in-process).
 * Each stream gets an event when what it shows changed.
 *
 * Events: `status` (the batch-run view) on each change, `final` (the view in
 * its final state) after which the stream ends, `ping` after 15 s without a
 * change, `shutdown` when this process stops (an EventSource reconnects, to
 * another instance behind a balancer). The first event is the current state.
 */
@Injectable()
export class BatchEventsService implements OnModuleDestroy {
  private readonly logger = new Logger('BatchEvents');
  private readonly watchers = new Map<BatchRunId, Set<Watcher>>();
  private readonly listener: RunNotifyListener;
  private readonly unsubscribe: () => void;
  /** Runs to read again at the next flush. */
  private readonly dirty = new Set<BatchRunId>();
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private failingSince: number | null = null;
  /** The fallback poll's period (tests lengthen it to prove that events alone push). */
  fallbackPollMs = EVENTS_FALLBACK_POLL_MS;
  /** Reads of watched runs, by what caused them (tests and the metrics). */
  readonly reads = { event: 0, notify: 0, poll: 0 };

  constructor(
    private readonly runs: BatchRunRepository,
    eventLog: BatchEventLog,
    @Inject(DATABASE_URL) databaseUrl: string,
    @InjectDataSource() db: DataSource,
  ) {
    this.unsubscribe = eventLog.subscribe((e: BatchRunEventView) => this.moved(e.batch_run_id, 'event'));
    this.listener = new RunNotifyListener(databaseUrl, BATCH_NOTIFY_CHANNEL, {
      onPayload: (runId) => this.moved(runId as BatchRunId, 'notify'),
      // notifications sent while the connection was away are lost: read every watched run once
      onReady: () => this.refresh([...this.watchers.keys()]),
      sendProbe: async (channel, payload) => void (await sqlRows(db, 'SELECT pg_notify($1, $2)', [channel, payload])),
    });
  }

  /** Open streams in this process. */
  get streamCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  /** Whether run events of other processes arrive by LISTEN/NOTIFY now. */
  get listening(): boolean {
    return this.listener.listening;
  }

  /**
   * The stream of one run, starting from `initial` (the view the caller
   * already read, after its access check, already projected); later views go
   * through `project` before they are sent.
   */
  watch(initial: BatchRunView, project?: ViewProjection): Observable<MessageEvent> {
    const runId = initial.batch_run_id;
    return new Observable<MessageEvent>((sub) => {
      const w: Watcher = { sub, project, lastRaw: '', last: '', lastSentAt: 0, seq: 0 };
      if (this.deliver(w, initial)) return;
      if (this.closed) {
        this.sendShutdown(w);
        return;
      }
      let set = this.watchers.get(runId);
      if (!set) this.watchers.set(runId, (set = new Set()));
      set.add(w);
      this.listener.start();
      this.ensurePolling();
      // the run may have moved between the caller's read and now
      this.refresh([runId]);
      return () => {
        const s = this.watchers.get(runId);
        s?.delete(w);
        if (s && s.size === 0) this.watchers.delete(runId);
        if (this.watchers.size === 0) this.stopPolling();
      };
    });
  }

  /** A run moved (an event here or elsewhere): read it again if anyone watches it. */
  private moved(runId: BatchRunId, cause: 'event' | 'notify'): void {
    if (!this.watchers.has(runId)) return;
    this.reads[cause]++;
    this.refresh([runId]);
  }

  /** Marks runs to read and starts a flush unless one runs (it picks them up: at most one read in flight, one pending). */
  private refresh(ids: BatchRunId[]): void {
    if (this.closed) return;
    for (const id of ids) this.dirty.add(id);
    if (!this.flushing && this.dirty.size) {
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.dirty.size) this.refresh([]);
      });
    }
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty].filter((id) => this.watchers.has(id));
    this.dirty.clear();
    if (!ids.length) return;
    try {
      const views = await this.runs.viewMany(ids);
      if (this.failingSince !== null) {
        this.logger.log(`batch-run views readable again after ${Date.now() - this.failingSince} ms`);
        this.failingSince = null;
      }
      for (const runId of ids) {
        const view = views.get(runId);
        for (const w of [...(this.watchers.get(runId) ?? [])]) {
          if (!view) {
            // the run was deleted (its portfolio went): nothing more will happen
            w.sub.next({ type: 'gone', data: { batch_run_id: runId, detail: 'Batch run no longer exists' } });
            w.sub.complete();
          } else {
            await this.deliverProjected(w, view);
          }
        }
      }
    } catch (e) {
      // the database is away (restart, dropped connections): keep the streams, the poll tries again
      if (this.failingSince === null) {
        this.failingSince = Date.now();
        this.logger.warn(`batch-run views unreadable: ${(e as Error).message}`);
      }
    }
  }

  /** Sends what changed (or a ping; null: nothing changed); completes the stream and answers true when the run is final. */
  private deliver(w: Watcher, view: BatchRunView | null): boolean {
    const final = view !== null && isFinal(view);
    const sig = view === null ? w.last : signature(view);
    const now = Date.now();
    if (view !== null && sig !== w.last) {
      w.last = sig;
      w.seq++;
      w.lastSentAt = now;
      const event: MessageEvent = { id: String(w.seq), type: final ? 'final' : 'status', data: view };
      if (w.seq === 1) event.retry = RETRY_MS;
      w.sub.next(event);
    } else if (now - w.lastSentAt >= EVENTS_PING_MS) {
      w.lastSentAt = now;
      w.sub.next({ type: 'ping', data: { at: new Date(now).toISOString() } });
    }
    if (final) w.sub.complete();
    return final;
  }

  /** The raw view through the watcher's projection; the projection is read again only when the raw view changed. */
  private async deliverProjected(w: Watcher, raw: BatchRunView): Promise<void> {
    if (!w.project) {
      this.deliver(w, raw);
      return;
    }
    const rawSig = signature(raw);
    if (rawSig === w.lastRaw && !isFinal(raw)) {
      this.deliver(w, null);
      return;
    }
    w.lastRaw = rawSig;
    this.deliver(w, await w.project(raw));
  }

  private sendShutdown(w: Watcher): void {
    w.sub.next({ type: 'shutdown', data: { detail: 'Server shutting down; reconnect to follow the run' } });
    w.sub.complete();
  }

  /** The fallback poll: every watched run, one statement (and the pings of idle streams). */
  private ensurePolling(): void {
    if (this.timer) return;
    const tick = () => {
      this.timer = setTimeout(tick, this.fallbackPollMs);
      this.timer.unref();
      if (this.watchers.size === 0) return;
      this.reads.poll++;
      this.refresh([...this.watchers.keys()]);
    };
    this.timer = setTimeout(tick, this.fallbackPollMs);
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.stopPolling();
    this.unsubscribe();
    for (const set of [...this.watchers.values()]) for (const w of [...set]) this.sendShutdown(w);
    this.watchers.clear();
    return this.listener.stop();
  }
}

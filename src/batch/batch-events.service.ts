import { Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import type { BatchRunId } from '../common/branded';
import { BatchRunRepository } from './batch-run.repository';
import { ACTIVE_STATUSES, BatchRunView } from './batch.types';

/** How often the shared poller reads the watched runs. */
export const EVENTS_POLL_MS = 250;
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
 * Live batch-run status for Server-Sent Events. Run state lives in PostgreSQL
 * and the work may happen in any process, so the API process polls the
 * database: one shared poller reads every watched run in one statement every
 * 250 ms (however many clients watch), and each stream gets an event when what
 * it shows changed.
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
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;
  private failingSince: number | null = null;

  constructor(private readonly runs: BatchRunRepository) {}

  /** Open streams in this process. */
  get streamCount(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
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
      this.ensurePolling();
      return () => {
        const s = this.watchers.get(runId);
        s?.delete(w);
        if (s && s.size === 0) this.watchers.delete(runId);
        if (this.watchers.size === 0) this.stopPolling();
      };
    });
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

  private ensurePolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), EVENTS_POLL_MS);
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
      const views = await this.runs.viewMany([...this.watchers.keys()]);
      if (this.failingSince !== null) {
        this.logger.log(`batch-run poller reading again after ${Date.now() - this.failingSince} ms`);
        this.failingSince = null;
      }
      for (const [runId, set] of this.watchers) {
        const view = views.get(runId);
        for (const w of [...set]) {
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
      // the database is away (restart, dropped connections): keep the streams, try again next tick
      if (this.failingSince === null) {
        this.failingSince = Date.now();
        this.logger.warn(`batch-run poller cannot read: ${(e as Error).message}`);
      }
    } finally {
      this.polling = false;
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.stopPolling();
    for (const set of [...this.watchers.values()]) for (const w of [...set]) this.sendShutdown(w);
    this.watchers.clear();
  }
}

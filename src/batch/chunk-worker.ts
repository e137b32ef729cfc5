import { Inject, Injectable, Logger } from '@nestjs/common';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchEventLog } from './batch-event-log';
import { BatchProcess } from './batch-process';
import { BatchQueue } from './batch-queue';
import { BatchWorkRepository } from './batch-work.repository';
import type { BatchRunEventInput } from './batch.types';
import { ChunkKey, ChunkLease, ChunkLeaseRepository } from './chunk-lease.repository';
import { retryOnDropped, warnRetry } from './db-retry';
import { LeaseKeeper } from './lease-keeper';
import { DayHoldingsCache } from './phases/day-holdings.cache';
import { ChunkOutcome, errorText } from './phases/phase-result';
import { PriceWindowCache } from './phases/price-window.cache';
import { RiskPhase } from './phases/risk.phase';
import { SnapshotPhase } from './phases/snapshot.phase';
import { NOTHING, RunAdvancer, StepOutcome } from './run-advancer';

/**
 * Works chunks under a lease: claim (attempt token), the phase's
 * `process(runId, date, ids)` (idempotent upserts), then a completion fenced
 * by owner and attempt — a worker robbed of its lease writes nothing. The
 * completion of a phase's last chunk moves the run on (RunAdvancer) in the
 * same transaction, and this process dispatches the next step: one chunk is
 * worked right here (no queue round trip for a one-portfolio run), several
 * are enqueued and every process's workers woken.
 */
@Injectable()
export class ChunkWorker {
  private readonly logger = new Logger('ChunkWorker');
  /** Set at shutdown: nothing more is worked inline, next steps go to the queue. */
  private stopping = false;

  constructor(
    private readonly leases: ChunkLeaseRepository,
    private readonly work: BatchWorkRepository,
    private readonly advancer: RunAdvancer,
    private readonly keeper: LeaseKeeper,
    private readonly queue: BatchQueue,
    private readonly events: BatchEventLog,
    private readonly me: BatchProcess,
    private readonly snapshots: SnapshotPhase,
    private readonly risk: RiskPhase,
    private readonly prices: PriceWindowCache,
    private readonly dayHoldings: DayHoldingsCache,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  /** Works one chunk (a `batch-chunk` job, or inline); `lastAttempt`: a throw fails the chunk and its run. */
  async run(k: ChunkKey, lastAttempt = true): Promise<void> {
    const lease = await this.retry(() => this.leases.claim(k, this.me.id, this.settings.batchChunkLeaseSeconds));
    if (!lease) return; // done, held by a live worker, or the run ended
    this.keeper.hold(lease);
    if (lease.robbedFrom) {
      await this.record({ runId: k.runId, kind: 'chunk_taken_over', level: 'warn', date: k.date, phase: k.phase, chunkIndex: k.index,
        message: `lease of ${lease.robbedFrom} had expired; taken over (attempt ${lease.attempt})`, details: { previous_owner: lease.robbedFrom, attempts: lease.attempt } });
    }
    const started = Date.now();
    let outcome: ChunkOutcome;
    try {
      outcome = k.phase === 'pnl_snapshots' ? await this.snapshots.process(k.runId, k.date, lease.ids) : await this.risk.process(k.runId, k.date, lease.ids);
    } catch (e) {
      this.keeper.drop(lease);
      await this.attemptFailed(lease, errorText(e), lastAttempt);
      throw e;
    }
    let next: StepOutcome;
    try {
      next = await this.retry(() => this.complete(lease, outcome, Date.now() - started));
    } finally {
      this.keeper.drop(lease);
    }
    await this.dispatch(next);
  }

  /** Fenced completion; the last chunk of the phase moves the run on in the same transaction. */
  private complete(lease: ChunkLease, outcome: ChunkOutcome, durationMs: number): Promise<StepOutcome> {
    return this.advancer.locked(lease.runId, async (em, run, out) => {
      if (!(await this.leases.complete(em, lease, this.me.id, outcome.processed))) {
        this.logger.warn(`chunk ${lease.phase}#${lease.index} of run ${lease.runId}: lease lost (attempt ${lease.attempt}); its completion is not recorded`);
        return NOTHING;
      }
      await this.work.recordFailures(em, lease.runId, outcome.failures);
      const where = { runId: lease.runId, date: lease.date, phase: lease.phase, chunkIndex: lease.index };
      out.push({ ...where, kind: 'chunk_completed', message: `chunk ${lease.index}: ${outcome.processed} portfolio(s), ${outcome.failures.length} failed`,
        details: { portfolio_ids: lease.ids.length, processed: outcome.processed, failed: outcome.failures.length, attempt: lease.attempt, duration_ms: durationMs } });
      for (const f of outcome.failures) {
        out.push({ ...where, kind: 'portfolio_failed', level: 'warn', message: f.error, details: { portfolio_id: f.portfolioId } });
      }
      const phases = run.phases.map((p) => (p.name === lease.phase ? { ...p, done: p.done + outcome.processed } : p));
      const current = run.phase === lease.phase && run.dates[run.dateIndex] === lease.date;
      if (!current || (await this.leases.pendingCount(em, lease.runId, lease.date, lease.phase)) > 0) {
        if (current) await this.advancer.progress(em, run.id, phases);
        return NOTHING;
      }
      return this.advancer.phaseDone(em, { ...run, phases }, out);
    });
  }

  /** A failed attempt: retried by pg-boss (the lease is given back), or — the last — fails the chunk and the run. */
  private async attemptFailed(lease: ChunkLease, error: string, lastAttempt: boolean): Promise<void> {
    const where = { runId: lease.runId, date: lease.date, phase: lease.phase, chunkIndex: lease.index };
    try {
      if (!lastAttempt) {
        await this.leases.release(this.me.id, [lease], this.settings.batchChunkLeaseSeconds * 6);
        await this.record({ ...where, kind: 'chunk_retried', level: 'warn', message: `attempt ${lease.attempt} failed: ${error}`, details: { attempt: lease.attempt } });
        return;
      }
      const next = await this.advancer.locked(lease.runId, async (em, run, out) => {
        if (!(await this.leases.fail(em, lease, this.me.id, error))) return NOTHING;
        out.push({ ...where, kind: 'chunk_failed', level: 'error', message: `chunk failed after ${lease.attempt} attempt(s): ${error}`, details: { attempt: lease.attempt } });
        return this.advancer.fail(em, run, `${lease.phase}: a chunk failed after its retries: ${error}`, out);
      });
      await this.dispatch(next);
    } catch (e) {
      this.logger.error(`could not record the failure of chunk ${lease.phase}#${lease.index} of run ${lease.runId}: ${errorText(e)}`);
    }
  }

  /** Does what a step change asks of this process. */
  async dispatch(next: StepOutcome): Promise<void> {
    if (next.kind === 'finished') {
      this.prices.clear(next.runId);
      this.dayHoldings.clear(next.runId);
      this.logger.log(`run ${next.runId} ${next.status}`);
    } else if (next.kind === 'chunks') {
      if (next.keys.length === 1 && !this.stopping) await this.run(next.keys[0]);
      // a lost send is re-enqueued by the lease sweep; a duplicate is skipped at its claim
      else await this.queue.sendMany('batch-chunk', next.keys).catch((e) => this.logger.warn(`could not enqueue ${next.keys.length} chunk(s) of run ${next.keys[0].runId} (the lease sweep will): ${errorText(e)}`));
    }
  }

  private async record(e: BatchRunEventInput): Promise<void> {
    await this.events.record(e).catch((err) => this.logger.warn(`could not record ${e.kind} of run ${e.runId}: ${errorText(err)}`));
  }

  private retry<T>(fn: () => Promise<T>): Promise<T> {
    return retryOnDropped(fn, this.settings.batchStaleSeconds * 1000, warnRetry(this.logger));
  }
}

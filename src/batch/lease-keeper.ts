import { Inject, Injectable, Logger } from '@nestjs/common';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { BatchEventLog } from './batch-event-log';
import { BatchProcess } from './batch-process';
import { BatchQueue } from './batch-queue';
import { ChunkLease, ChunkLeaseRepository, leaseKey } from './chunk-lease.repository';
import { errorText } from './phases/phase-result';

/**
 * How long a chunk may wait in the queue unclaimed before the sweep enqueues it
 * again (its job was lost: a crash between the step's commit and the send).
 * Longer than a lease, so a queue backlog is not mistaken for a lost job.
 */
export const enqueueDeadlineSeconds = (s: AppSettings): number => s.batchChunkLeaseSeconds * 6;

/**
 * This process's side of chunk leases:
 * - one timer renews every lease the process holds (every third of the
 *   lease), one statement; a slow chunk of a live process is never robbed;
 * - the lease sweep (every quarter of the lease, any live process) re-enqueues
 *   pending chunks whose lease ran out — their worker died, or their job was
 *   lost — recording `chunk_taken_over`. So a dead worker's chunk is worked
 *   again within lease + ¼ lease (12.5 s with the defaults).
 */
@Injectable()
export class LeaseKeeper {
  private readonly logger = new Logger('LeaseKeeper');
  private readonly held = new Map<string, ChunkLease>();
  private renewTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly leases: ChunkLeaseRepository,
    private readonly queue: BatchQueue,
    private readonly events: BatchEventLog,
    private readonly me: BatchProcess,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  private get leaseSeconds(): number {
    return this.settings.batchChunkLeaseSeconds;
  }

  start(): void {
    const leaseMs = this.leaseSeconds * 1000;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(250, Math.floor(leaseMs / 3)));
    this.sweepTimer = setInterval(() => void this.sweep().catch((e) => this.logger.warn(`lease sweep failed: ${errorText(e)}`)), Math.max(250, Math.floor(leaseMs / 4)));
    this.renewTimer.unref();
    this.sweepTimer.unref();
  }

  hold(lease: ChunkLease): void {
    this.held.set(leaseKey(lease), lease);
  }

  drop(lease: ChunkLease): void {
    this.held.delete(leaseKey(lease));
  }

  private async renew(): Promise<void> {
    const held = [...this.held.values()];
    if (!held.length) return;
    try {
      const renewed = await this.leases.renew(this.me.id, held, this.leaseSeconds);
      for (const l of held) {
        // robbed (our lease ran out while the process stalled): the completion is fenced anyway
        if (!renewed.has(leaseKey(l)) && this.held.delete(leaseKey(l))) this.logger.warn(`lost the lease of chunk ${l.phase}#${l.index} of run ${l.runId} (attempt ${l.attempt})`);
      }
    } catch (e) {
      this.logger.warn(`lease renewal failed: ${errorText(e)}`);
    }
  }

  /** One pass of the lease sweep; returns how many chunks it re-enqueued. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const expired = await this.leases.sweepExpired(enqueueDeadlineSeconds(this.settings));
      if (!expired.length) return 0;
      await this.events.record(
        expired.map((c) =>
          c.owner
            ? { runId: c.runId, kind: 'chunk_taken_over' as const, level: 'warn' as const, date: c.date, phase: c.phase, chunkIndex: c.index,
                message: `lease of ${c.owner} expired (attempt ${c.attempts}); chunk re-enqueued`, details: { previous_owner: c.owner, attempts: c.attempts } }
            : { runId: c.runId, kind: 'chunk_retried' as const, level: 'warn' as const, date: c.date, phase: c.phase, chunkIndex: c.index,
                message: c.orphan
                  ? 'not claimed yet when a worker of the run died (its job may have been in hand there); re-enqueued'
                  : 'no worker claimed the chunk within its lease; re-enqueued',
                details: { attempts: c.attempts, orphan: c.orphan } },
        ),
      );
      await this.queue.sendMany('batch-chunk', expired.map((c) => ({ runId: c.runId, date: c.date, phase: c.phase, index: c.index })));
      this.logger.warn(`re-enqueued ${expired.length} chunk(s) whose lease expired`);
      return expired.length;
    } finally {
      this.sweeping = false;
    }
  }

  /** Shutdown: stops renewing and gives back what is still held, so another process takes it at its next sweep. */
  async releaseAll(): Promise<number> {
    this.stop();
    const held = [...this.held.values()];
    this.held.clear();
    await this.leases.release(this.me.id, held, 0).catch((e) => this.logger.warn(`could not release ${held.length} lease(s): ${errorText(e)}`));
    return held.length;
  }

  stop(): void {
    if (this.renewTimer) clearInterval(this.renewTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.renewTimer = this.sweepTimer = null;
  }
}

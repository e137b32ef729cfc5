import { Logger } from '@nestjs/common';
import type { BatchRunId } from '../common/branded';
import type { BatchRunRepository } from './batch-run.repository';

export class RunCancelled extends Error {
  constructor() {
    super('cancelled by request');
  }
}

/** The process coordinating the run is shutting down: the run ends `failed` with this message. */
export class RunInterrupted extends Error {
  constructor(reason: string) {
    super(`interrupted: ${reason}`);
  }
}

export class RunAbandoned extends Error {
  constructor() {
    super('run is no longer active (swept as stale or finished elsewhere)');
  }
}

/**
 * A running batch's heartbeat: beats every `intervalMs` and remembers whether
 * a cancel was asked or the run was taken from us, so the orchestrator can
 * check cheaply between portfolios and phases.
 */
export class RunControl {
  private timer: NodeJS.Timeout | null = null;
  private cancelRequested = false;
  private lost = false;
  private interruptedBy: string | null = null;
  /** Heartbeat writes failed in a row (logged at the first, and when they work again). */
  private failedBeats = 0;

  constructor(
    private readonly runs: BatchRunRepository,
    readonly runId: BatchRunId,
    private readonly intervalMs: number,
    private readonly logger: Pick<Logger, 'warn' | 'log'> = new Logger('RunControl'),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.beatLogged(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * One interval beat. A failed write is not fatal (the next beat may land,
   * and the stale limit spans several beats) but is logged: a run whose beats
   * keep failing will be swept as abandoned.
   */
  private async beatLogged(): Promise<void> {
    try {
      await this.beat();
      if (this.failedBeats > 0) this.logger.log(`run ${this.runId}: heartbeat written again after ${this.failedBeats} failed beat(s)`);
      this.failedBeats = 0;
    } catch (e) {
      if (this.failedBeats++ === 0) this.logger.warn(`run ${this.runId}: heartbeat write failed: ${(e as Error).message}`);
    }
  }

  async beat(): Promise<void> {
    const state = await this.runs.heartbeat(this.runId);
    this.cancelRequested ||= state.cancelRequested;
    this.lost ||= !state.running;
  }

  /** Asks the run to stop at its next check (the process is shutting down). */
  interrupt(reason: string): void {
    this.interruptedBy ??= reason;
  }

  /** Throws when the run must stop (cancel asked, process shutting down, or no longer ours). */
  check(): void {
    if (this.lost) throw new RunAbandoned();
    if (this.interruptedBy !== null) throw new RunInterrupted(this.interruptedBy);
    if (this.cancelRequested) throw new RunCancelled();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

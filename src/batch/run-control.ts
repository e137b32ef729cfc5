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

  constructor(
    private readonly runs: BatchRunRepository,
    readonly runId: BatchRunId,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.intervalMs);
    this.timer.unref();
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

/**
 * Result writes of a chunk, each started while the caller computes the next
 * slice: the database parses and stores slice k while the process computes
 * slice k + 1 (the process is one thread; the database is another core).
 * At most one write is in flight: `enqueue` returns once the write before
 * the new one has ended, so memory holds at most two slices. After a failed
 * write nothing more is written and `flush` throws that error.
 */
export class WriteBehind {
  private last: Promise<void> = Promise.resolve();
  private failed: { error: unknown } | null = null;

  async enqueue(write: () => Promise<void>): Promise<void> {
    const before = this.last;
    this.last = before.then(async () => {
      if (this.failed) return;
      try {
        await write();
      } catch (error) {
        this.failed ??= { error };
      }
    });
    await before;
    // a macrotask turn: the new write's statement goes out before the caller computes again
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Waits for every write; throws the first error. */
  async flush(): Promise<void> {
    await this.last;
    if (this.failed) throw this.failed.error;
  }
}

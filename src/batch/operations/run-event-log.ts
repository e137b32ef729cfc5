import { Injectable } from '@nestjs/common';
import type { BatchRunId } from '../../common/branded';
import { BatchEventLog } from '../batch-event-log';
import { BatchService } from '../batch.service';
import type { BatchRunEventView } from '../batch.types';

export const EVENT_PAGE_DEFAULT = 200;
export const EVENT_PAGE_MAX = 1000;

export interface RunEventPage {
  batch_run_id: BatchRunId;
  events: BatchRunEventView[];
  /** Pass as `after_id` for the next page; null when this page was the last. */
  next_after_id: number | null;
}

/** One event as a plain log line: time, level, kind, where (date, phase, chunk), process, message, details. */
export function eventLine(e: BatchRunEventView): string {
  const where = [e.calculation_date, e.phase, e.chunk_index !== null ? `chunk ${e.chunk_index}` : null].filter(Boolean).join(' ');
  const details = e.details && Object.keys(e.details).length ? ` ${JSON.stringify(e.details)}` : '';
  return `${e.at} ${e.level.toUpperCase().padEnd(5)} ${e.kind}${where ? ` [${where}]` : ''}${e.process ? ` (${e.process})` : ''} ${e.message.replace(/\s*\n\s*/g, ' ')}${details}`;
}

/** A run's event log, a page at a time (the route and the CLI). */
@Injectable()
export class RunEventLogReader {
  constructor(
    private readonly batch: BatchService,
    private readonly log: BatchEventLog,
  ) {}

  async page(runId: BatchRunId, page: { afterId?: number; limit?: number }): Promise<RunEventPage> {
    await this.batch.view(runId); // 404 for an unknown run
    const limit = Math.min(page.limit ?? EVENT_PAGE_DEFAULT, EVENT_PAGE_MAX);
    const events = await this.log.list(runId, { afterId: page.afterId, limit });
    return { batch_run_id: runId, events, next_after_id: events.length === limit ? events[events.length - 1].id : null };
  }

  /** Every event of the run (the CLI), read a page at a time. */
  async *all(runId: BatchRunId): AsyncGenerator<BatchRunEventView> {
    let afterId: number | undefined;
    for (;;) {
      const p = await this.page(runId, { afterId, limit: EVENT_PAGE_MAX });
      yield* p.events;
      if (p.next_after_id === null) return;
      afterId = p.next_after_id;
    }
  }
}

import { asBatchRunId, asCalendarDate } from '../../common/branded';
import type { BatchRunEventView } from '../batch.types';
import { eventLine } from './run-event-log';

const base: BatchRunEventView = {
  id: 1,
  batch_run_id: asBatchRunId('00000000-0000-4000-8000-000000000001'),
  at: '2025-06-02T22:31:00.000Z',
  kind: 'run_started',
  level: 'info',
  calculation_date: null,
  phase: null,
  chunk_index: null,
  process: null,
  message: 'run started',
  details: null,
};

describe('eventLine', () => {
  it('time, padded level, kind and message', () => {
    expect(eventLine(base)).toBe('2025-06-02T22:31:00.000Z INFO  run_started run started');
  });
  it('where (date, phase, chunk 0 included), the process and the details; a message on one line', () => {
    expect(
      eventLine({ ...base, level: 'error', kind: 'chunk_failed', calculation_date: asCalendarDate('2025-06-02'), phase: 'risk_analytics', chunk_index: 0, process: 'host:7', message: 'boom\n  at x', details: { attempts: 4 } }),
    ).toBe('2025-06-02T22:31:00.000Z ERROR chunk_failed [2025-06-02 risk_analytics chunk 0] (host:7) boom at x {"attempts":4}');
  });
});

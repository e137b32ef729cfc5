import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { asBatchRunId, asCalendarDate, asPortfolioId } from '../common/branded';
import { RunConflictError } from '../common/errors';
import type { AppSettings } from '../config/settings';
import { MetricsService } from '../metrics/metrics.service';
import { BatchScheduleRepository } from './operations/batch-schedule.repository';
import { BatchScheduler } from './batch-scheduler';
import type { BatchService } from './batch.service';
import { ChunkWorker } from './chunk-worker';

/**
 * Issue 10 item 8: errors that were swallowed are logged, and the scheduler
 * branches on the conflict's structured reason. Unit tests over stand-ins for
 * the collaborators (no database: what is checked is what the code does with
 * a failure it is handed).
 */
const RUN = asBatchRunId('6f1c1b1e-0000-4000-8000-000000000001');
const OTHER_RUN = '6f1c1b1e-0000-4000-8000-000000000002';

afterEach(() => jest.restoreAllMocks());

describe('ChunkWorker.run on its last attempt', () => {
  it('logs a chunk failure that could not be recorded, and still rethrows the chunk error', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const key = { runId: RUN, date: asCalendarDate('2025-06-02'), phase: 'pnl_snapshots' as const, index: 3 };
    const leases = { claim: async () => ({ ...key, attempt: 1, ids: [asPortfolioId('6f1c1b1e-0000-4000-8000-0000000000aa')], robbedFrom: null }) };
    const advancer = { locked: async () => {
      throw new Error('database away');
    } };
    const keeper = { hold: () => undefined, drop: () => undefined };
    const snapshots = { process: async () => {
      throw new Error('phase broke');
    } };
    const settings = { batchChunkLeaseSeconds: 10, batchStaleSeconds: 10 };
    const worker = new (ChunkWorker as unknown as new (...a: unknown[]) => ChunkWorker)(leases, {}, advancer, keeper, {}, {}, { id: 'me' }, snapshots, {}, {}, {}, settings);
    await expect(worker.run(key, true)).rejects.toThrow('phase broke');
    expect(error).toHaveBeenCalledWith(`could not record the failure of chunk pnl_snapshots#3 of run ${RUN}: database away`);
  });
});

describe('MetricsService.render', () => {
  it('logs why the batch metrics could not be read (and reports the database down)', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const db = { query: async () => {
      throw new Error('too many clients');
    } };
    const queue = { queueDepth: async () => [], jobsInFlight: () => ({}), jobsDone: () => [], errorCount: 0 };
    const metrics = new (MetricsService as unknown as new (...a: unknown[]) => MetricsService)(db, queue, { coordinatedRuns: () => [] }, { streamCount: 0, listening: false, reads: { event: 0, notify: 0, poll: 0 } }, { subscribe: () => () => undefined }, {});
    try {
      const text = await metrics.render();
      expect(text).toMatch(/sigmasight_database_up 0/);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('too many clients'));
    } finally {
      metrics.onModuleDestroy();
    }
  });
});

describe('BatchScheduler conflict handling', () => {
  const settings = { batchCatchUpMaxDays: 5 } as AppSettings;
  const scheduler = (conflict: RunConflictError) =>
    new BatchScheduler(
      { lastScheduledSuccess: async () => null, trigger: async () => Promise.reject(conflict) } as unknown as BatchService,
      {} as SchedulerRegistry,
      { get: async () => ({ paused: false, pausedAt: null, pausedBy: null, skippedDates: [], updatedAt: '' }) } as unknown as BatchScheduleRepository,
      settings,
    );
  const now = new Date('2025-06-24T23:00:00Z');

  it('an active run (whatever the message says) is "busy": the nightly run is retried', async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const s = scheduler(new RunConflictError('active', OTHER_RUN, 'Portfolio is being recalculated'));
    expect(await s.fire(now)).toBeNull();
    expect(s.lastSkipReason).toBe('busy');
  });

  it('a scheduled run for the date already (whatever the message says) is not retried', async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const s = scheduler(new RunConflictError('scheduled', OTHER_RUN, 'Batch already running'));
    expect(await s.fire(now)).toBeNull();
    expect(s.lastSkipReason).toBe('scheduled');
  });
});

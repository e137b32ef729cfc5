/**
 * Pause and resume of the nightly schedule (GET|PUT /admin/batch/schedule):
 * persisted in PostgreSQL (a process started later on the same database sees
 * it), a firing while paused starts nothing and logs the skip, resuming
 * catches the skipped date up at once.
 */
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { BatchScheduler } from '../../src/batch/batch-scheduler';
import { latestCompletedTradingDay } from '../../src/market-data/calendar';
import { sql, startPeerApp, waitForRun } from '../helpers/batch-helpers';
import { API, bearer, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';

// a cron that does not fire during the test (New Year's midnight in New York)
const CRON = '0 0 1 1 *';
const ENV = { BATCH_CRON_ENABLED: 'true', BATCH_CRON: CRON, BATCH_RETENTION_DAYS: '0' };

describe('schedule pause and resume (e2e)', () => {
  let t: TestApp;
  let admin: { token: string; email: string };
  const get = (app = t.http) => request(app).get(`${API}/admin/batch/schedule`).set(bearer(admin.token));
  const put = (body: unknown) => request(t.http).put(`${API}/admin/batch/schedule`).set(bearer(admin.token)).send(body as object);
  const runs = () => sql(t, `SELECT id, trigger FROM batch_runs ORDER BY created_at`);

  beforeAll(async () => {
    t = await startTestApp(ENV);
    admin = await signUpAdmin(t);
  }, 180_000);
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('shows the schedule: not paused, its cron, time zone and next firing', async () => {
    const res = await get().expect(200);
    const nyYear = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric' }).format(new Date()));
    expect(res.body).toEqual({
      paused: false,
      paused_at: null,
      paused_by: null,
      cron: CRON,
      timezone: 'America/New_York',
      enabled: true,
      next_fire_at: `${nyYear + 1}-01-01T05:00:00.000Z`,
      last_scheduled_date: null,
      skipped_dates: [],
    });
  });

  it('bad input: no flag, not a boolean, extra fields, an array (400); nothing changes', async () => {
    await put({}).expect(400);
    await put({ paused: 'yes' }).expect(400);
    await put({ paused: true, until: '2025-01-01' }).expect(400);
    await put([true]).expect(400);
    expect((await get().expect(200)).body.paused).toBe(false);
  });

  it('pause: who and when', async () => {
    const res = await put({ paused: true }).expect(200);
    expect(res.body).toMatchObject({ paused: true, paused_by: admin.email, catch_up_run_id: null, skipped_dates: [] });
    expect(Date.parse(res.body.paused_at)).not.toBeNaN();
    // pausing a paused schedule changes nothing
    expect((await put({ paused: true }).expect(200)).body.paused_at).toBe(res.body.paused_at);
  });

  it('a firing while paused starts nothing and logs that it skipped; resuming catches the due date up at once', async () => {
    const scheduler = t.app.get(BatchScheduler);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const now = new Date();
    const due = latestCompletedTradingDay(now);
    expect(await scheduler.fire(now)).toBeNull();
    expect(scheduler.lastSkipReason).toBe('paused');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`scheduled run for ${due} skipped: the schedule is paused`));
    expect(await runs()).toEqual([]);
    expect((await get().expect(200)).body.skipped_dates).toEqual([due]);

    const res = await put({ paused: false }).expect(200);
    expect(res.body).toMatchObject({ paused: false, skipped_dates: [due] });
    expect(res.body.catch_up_run_id).toEqual(expect.any(String));
    const run = await waitForRun(t, admin.token, res.body.catch_up_run_id, 150_000);
    expect(run).toMatchObject({ status: 'completed', trigger: 'schedule', triggered_by: 'scheduler' });
    // the due date is the run's date, or (a close passed meanwhile) the first of its range
    expect([run.calculation_date, run.start_date]).toContain(due);
    expect((await get().expect(200)).body.last_scheduled_date).toBe(run.calculation_date);
  }, 180_000);

  it('resuming a running schedule, or after a pause in which nothing was due, starts nothing', async () => {
    const before = (await runs()).length;
    expect((await put({ paused: false }).expect(200)).body).toMatchObject({ paused: false, catch_up_run_id: null });
    await put({ paused: true }).expect(200);
    expect((await put({ paused: false }).expect(200)).body).toMatchObject({ paused: false, catch_up_run_id: null, skipped_dates: [] });
    expect(await runs()).toHaveLength(before);
  });
  // last: the peer app takes over the process-wide passport strategy, so `t` answers no authenticated request after it
  it('a pause is persisted: a process started later on the same database sees it and skips too', async () => {
    const res = await put({ paused: true }).expect(200);
    const before = (await runs()).length;
    const restarted = await startPeerApp(t, ENV);
    try {
      const seen = await get(restarted.app.getHttpServer()).expect(200);
      expect(seen.body).toMatchObject({ paused: true, paused_by: admin.email, paused_at: res.body.paused_at });
      // a week on, a date is due again: that process's firing skips it too
      const later = new Date(Date.now() + 7 * 86_400_000);
      expect(await restarted.app.get(BatchScheduler).fire(later)).toBeNull();
      expect(restarted.app.get(BatchScheduler).lastSkipReason).toBe('paused');
      expect((await get(restarted.app.getHttpServer()).expect(200)).body.skipped_dates).toEqual([latestCompletedTradingDay(later)]);
    } finally {
      await restarted.close();
    }
    expect(await runs()).toHaveLength(before);
  }, 180_000);
});

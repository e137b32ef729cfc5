import { BatchScheduler } from '../../src/batch/batch-scheduler';
import { signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, sql, startPeerApp, stockBook, waitForRun } from '../helpers/batch-helpers';

/**
 * DESIGN §4 nightly cron: the latest completed trading day plus the trading
 * days missed since the last successful scheduled run, oldest first; only one
 * scheduled run per date however many instances fire. `fire(now)` is what the
 * cron calls, here with fixed clocks (New York evenings, after the close).
 */
describe('scheduled runs (e2e)', () => {
  let t: TestApp;
  let scheduler: BatchScheduler;
  let admin: { token: string };
  let p1: string;

  /** 19:00 New York (EDT) on `date`. */
  const evening = (date: string) => new Date(`${date}T23:00:00Z`);
  const scheduledRows = () =>
    sql(t, `SELECT id, status, to_char(scheduled_date, 'YYYY-MM-DD') AS d, to_json(calculation_dates::text[]) AS dates FROM batch_runs WHERE trigger = 'schedule' ORDER BY created_at`);

  beforeAll(async () => {
    t = await startTestApp({ BATCH_CATCHUP_MAX_DAYS: '5' });
    scheduler = t.app.get(BatchScheduler);
    admin = await signUpAdmin(t);
    const owner = await signUp(t);
    p1 = await createPortfolioWith(t, owner.token, stockBook('AAPL'), 'One');
  });
  afterAll(() => t.close());

  it('first ever fire: just the latest completed trading day', async () => {
    const run = await scheduler.fire(evening('2025-06-12'));
    expect(run).toMatchObject({ trigger: 'schedule', triggered_by: 'scheduler', calculation_date: '2025-06-12', dates: { total: 1 } });
    expect((await waitForRun(t, admin.token, run!.batch_run_id)).status).toBe('completed');
    // firing again for the same evening: nothing to do
    expect(await scheduler.fire(evening('2025-06-12'))).toBeNull();
    // the morning after, before the close: the latest completed day is still 06-12
    expect(await scheduler.fire(new Date('2025-06-13T14:00:00Z'))).toBeNull();
  });

  it('after missed days: one run covering every missed trading day, oldest first (weekend and Juneteenth skipped)', async () => {
    // last success 06-12 (Thu); the cron did not fire 06-13 … 06-23; now Tuesday 06-24 evening
    const run = await scheduler.fire(evening('2025-06-24'));
    expect(run).not.toBeNull();
    // missed: 06-13, 06-16, 06-17, 06-18, 06-20, 06-23 (+ the latest, 06-24); BATCH_CATCHUP_MAX_DAYS=5 keeps the newest 5 missed days
    expect(run).toMatchObject({ start_date: '2025-06-16', end_date: '2025-06-24', calculation_date: '2025-06-24', dates: { total: 6 } });
    const done = await waitForRun(t, admin.token, run!.batch_run_id);
    expect(done.status).toBe('completed');
    const rows = await scheduledRows();
    expect(rows[rows.length - 1]).toMatchObject({
      id: run!.batch_run_id,
      d: '2025-06-24',
      dates: ['2025-06-16', '2025-06-17', '2025-06-18', '2025-06-20', '2025-06-23', '2025-06-24'],
    });
    const snaps = await sql(
      t,
      `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d FROM portfolio_snapshots WHERE portfolio_id = $1 AND batch_run_id = $2 ORDER BY created_at, snapshot_date`,
      [p1, run!.batch_run_id],
    );
    // the run's first date also fills 06-13, the missed day beyond the catch-up bound: snapshots never leave a gap (DESIGN §8)
    expect(snaps.map((s) => s.d)).toEqual(['2025-06-13', '2025-06-16', '2025-06-17', '2025-06-18', '2025-06-20', '2025-06-23', '2025-06-24']);
  });

  it('after an inserted scheduled success a few trading days back: catches up from the day after it', async () => {
    await sql(
      t,
      `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, scheduled_date, phases, started_at, finished_at, heartbeat_at)
       VALUES ('completed', 'schedule', 'scheduler', ARRAY['2025-07-01']::date[], '2025-07-01', '[]', now(), now(), now())`,
    );
    // 07-02 Wed, 07-03 Thu (early close), 07-04 Independence Day, weekend; now Monday 07-07 evening
    const run = await scheduler.fire(evening('2025-07-07'));
    expect(run).toMatchObject({ start_date: '2025-07-02', end_date: '2025-07-07', dates: { total: 3 } });
    expect((await waitForRun(t, admin.token, run!.batch_run_id)).status).toBe('completed');
    const snaps = await sql(t, `SELECT to_char(snapshot_date, 'YYYY-MM-DD') AS d FROM portfolio_snapshots WHERE batch_run_id = $1 ORDER BY created_at, snapshot_date`, [run!.batch_run_id]);
    // the inserted success computed no snapshot: the first date fills every trading day since the last one (06-24)
    expect(snaps.map((s) => s.d)).toEqual(['2025-06-25', '2025-06-26', '2025-06-27', '2025-06-30', '2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07']);
  });

  it('a failed scheduled run does not count as done: the next fire retries the date', async () => {
    await sql(
      t,
      `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, scheduled_date, phases, error, finished_at)
       VALUES ('failed', 'schedule', 'scheduler', ARRAY['2025-07-08']::date[], '2025-07-08', '[]', 'boom', now())`,
    );
    const run = await scheduler.fire(evening('2025-07-08'));
    expect(run).toMatchObject({ calculation_date: '2025-07-08', dates: { total: 1 } });
    expect((await waitForRun(t, admin.token, run!.batch_run_id)).status).toBe('completed');
  });

  it('two app instances on the same database firing at the same moment: exactly one scheduled run for the date', async () => {
    const peer = await startPeerApp(t);
    try {
      const other = peer.app.get(BatchScheduler);
      expect(other).not.toBe(scheduler);
      const now = evening('2025-07-09');
      const [a, b] = await Promise.all([scheduler.fire(now), other.fire(now)]);
      const started = [a, b].filter((r) => r !== null);
      expect(started).toHaveLength(1);
      const rows = (await scheduledRows()).filter((r) => r.d === '2025-07-09');
      expect(rows).toHaveLength(1);
      expect(rows[0].id).toBe(started[0]!.batch_run_id);
      expect((await waitForRun(t, admin.token, started[0]!.batch_run_id)).status).toBe('completed');

      // and once it has succeeded, neither instance starts it again
      const [c, d] = await Promise.all([scheduler.fire(now), other.fire(now)]);
      expect([c, d]).toEqual([null, null]);
      expect((await scheduledRows()).filter((r) => r.d === '2025-07-09')).toHaveLength(1);
    } finally {
      await peer.close();
    }
  });

  it('many concurrent fires across both instances for a new date still make one row', async () => {
    const peer = await startPeerApp(t);
    try {
      const now = evening('2025-07-10');
      const fires = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? peer.app.get(BatchScheduler) : scheduler).fire(now)));
      expect(fires.filter((r) => r !== null)).toHaveLength(1);
      expect((await scheduledRows()).filter((r) => r.d === '2025-07-10')).toHaveLength(1);
      await waitForRun(t, admin.token, fires.find((r) => r !== null)!.batch_run_id);
    } finally {
      await peer.close();
    }
  });
});

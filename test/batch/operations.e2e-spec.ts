/**
 * Operator controls (issue 11 item 4): re-running one phase of a run, a run's
 * event log, data coverage before a run, and retention of batch history —
 * end to end through the routes, on real PostgreSQL.
 */
import { Client } from 'pg';
import request from 'supertest';
import { BatchEventLog } from '../../src/batch/batch-event-log';
import { BatchRetention } from '../../src/batch/operations/batch-retention';
import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { asBatchRunId } from '../../src/common/branded';
import { latestCompletedTradingDay } from '../../src/market-data/calendar';
import { createPortfolioWith, hold, sql, stockBook, waitForRun } from '../helpers/batch-helpers';
import { readStream } from '../helpers/sse';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';

describe('operator controls (e2e)', () => {
  let t: TestApp;
  let admin: { token: string; email: string };
  let owner: { token: string; id: string };
  let p1: string;
  /** A completed run of p1 on 2025-06-02 (all phases). */
  let source: string;
  /** The risk_analytics re-run of `source`. */
  let rerunId: string;

  const adminRun = (body: object) => request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send(body);
  const rerun = (id: string, body: object) => request(t.http).post(`${API}/admin/batch/runs/${id}/rerun`).set(bearer(admin.token)).send(body);
  const events = (id: string, query: string) => request(t.http).get(`${API}/admin/batch/runs/${id}/events?${query}`).set(bearer(admin.token));
  const coverage = (query = '') => request(t.http).get(`${API}/admin/market-data/coverage${query}`).set(bearer(admin.token));

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    p1 = await createPortfolioWith(t, owner.token, stockBook('AAPL'), 'Alpha');
    const res = await adminRun({ portfolio_id: p1, calculation_date: '2025-06-02' }).expect(202);
    source = res.body.batch_run_id;
    expect((await waitForRun(t, admin.token, source, 120_000)).status).toBe('completed');
  }, 180_000);
  afterAll(() => t.close());

  describe('re-run one phase', () => {
    it('bad input: an unknown phase, no phase, extra fields, a malformed id (400); an unknown run (404)', async () => {
      expect((await rerun(source, { phase: 'everything' }).expect(400)).body.detail).toMatch(/phase/);
      await rerun(source, {}).expect(400);
      await rerun(source, { phase: 'risk_analytics', force: true }).expect(400);
      await rerun('not-a-uuid', { phase: 'risk_analytics' }).expect(400);
      expect((await rerun('00000000-0000-4000-8000-000000000000', { phase: 'risk_analytics' }).expect(404)).body.detail).toBe('Batch run not found');
      expect(await sql(t, `SELECT count(*)::int AS n FROM batch_runs`)).toEqual([{ n: 1 }]);
    });

    it("re-runs risk_analytics for the run's date and portfolios; the other phases are skipped", async () => {
      const before = await sql(t, `SELECT batch_run_id FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date = '2025-06-02'`, [p1]);
      expect(before).toEqual([{ batch_run_id: source }]);
      const res = await rerun(source, { phase: 'risk_analytics' }).expect(202);
      expect(res.body).toMatchObject({
        status: 'started',
        triggered_by: admin.email,
        run: { trigger: 'admin', phase_filter: 'risk_analytics', rerun_of: source, calculation_date: '2025-06-02', portfolio_id: p1, portfolios: { total: 1 } },
      });
      rerunId = res.body.batch_run_id;
      const done = await waitForRun(t, admin.token, rerunId, 120_000);
      expect(done.status).toBe('completed');
      expect(done.phases.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).toEqual([
        'market_data:skipped',
        'pnl_snapshots:skipped',
        'risk_analytics:completed',
      ]);
      // the risk row was rewritten by the re-run; the snapshot is still the source run's
      expect(await sql(t, `SELECT batch_run_id FROM portfolio_risk WHERE portfolio_id = $1 AND calculation_date = '2025-06-02'`, [p1])).toEqual([{ batch_run_id: rerunId }]);
      expect(await sql(t, `SELECT batch_run_id FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date = '2025-06-02'`, [p1])).toEqual(before);
    }, 180_000);

    it('a backfill re-run repeats the whole range; pnl_snapshots re-books every date', async () => {
      const range = await adminRun({ portfolio_id: p1, start_date: '2025-06-03', end_date: '2025-06-05' }).expect(202);
      expect((await waitForRun(t, admin.token, range.body.batch_run_id, 120_000)).status).toBe('completed');
      const res = await rerun(range.body.batch_run_id, { phase: 'pnl_snapshots' }).expect(202);
      expect(res.body.run).toMatchObject({ start_date: '2025-06-03', end_date: '2025-06-05', dates: { total: 3 }, phase_filter: 'pnl_snapshots' });
      const done = await waitForRun(t, admin.token, res.body.batch_run_id, 120_000);
      expect(done.status).toBe('completed');
      expect(done.phases.find((p: { name: string }) => p.name === 'risk_analytics').status).toBe('skipped');
    }, 180_000);

    it('409 naming the run while it is still active; 409 naming the active run that covers its portfolios', async () => {
      const held = hold(t.app.get(SnapshotPhase), 'process');
      const active = (await adminRun({ portfolio_id: p1, calculation_date: '2025-06-06' }).expect(202)).body.batch_run_id;
      try {
        await held.entered;
        const own = await rerun(active, { phase: 'risk_analytics' }).expect(409);
        expect(own.body).toMatchObject({ batch_run_id: active, status: 'running' });
        expect(own.body.detail).toContain(`Batch run ${active} is still running`);
        const other = await rerun(source, { phase: 'market_data' }).expect(409);
        expect(other.body).toMatchObject({ batch_run_id: active, detail: 'Batch already running' });
      } finally {
        held.release();
      }
      expect((await waitForRun(t, admin.token, active, 120_000)).status).toBe('completed');
    }, 180_000);
  });

  describe('event log', () => {
    let ids: number[];

    beforeAll(async () => {
      const recorded = await t.app.get(BatchEventLog).record([
        { runId: asBatchRunId(source), kind: 'phase_started', date: '2025-06-02' as never, phase: 'pnl_snapshots', message: 'pnl_snapshots started' },
        { runId: asBatchRunId(source), kind: 'chunk_retried', level: 'warn', date: '2025-06-02' as never, phase: 'pnl_snapshots', chunkIndex: 3, message: 'chunk 3 retried', details: { attempt: 2 } },
        { runId: asBatchRunId(source), kind: 'error', level: 'error', message: 'line one\nline two' },
      ]);
      ids = recorded.map((e) => e.id);
    });

    it('format=json: the events in order, with every field', async () => {
      const res = await events(source, 'format=json').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const own = res.body.events.filter((e: { id: number }) => ids.includes(e.id));
      expect(own.map((e: { kind: string }) => e.kind)).toEqual(['phase_started', 'chunk_retried', 'error']);
      expect(own[1]).toMatchObject({ batch_run_id: source, level: 'warn', calculation_date: '2025-06-02', phase: 'pnl_snapshots', chunk_index: 3, details: { attempt: 2 } });
      expect(own[1].process).toMatch(/:\d+$/);
      expect(res.body.next_after_id).toBeNull();
    });

    it('pages with after_id and limit', async () => {
      const first = await events(source, `format=json&after_id=${ids[0] - 1}&limit=2`).expect(200);
      expect(first.body.events.map((e: { id: number }) => e.id)).toEqual(ids.slice(0, 2));
      expect(first.body.next_after_id).toBe(ids[1]);
      const rest = await events(source, `format=json&after_id=${first.body.next_after_id}&limit=2`).expect(200);
      expect(rest.body.events.map((e: { id: number }) => e.id)).toEqual([ids[2]]);
      expect(rest.body.next_after_id).toBeNull();
    });

    it('format=text: one plain line per event', async () => {
      const res = await events(source, `format=text&after_id=${ids[0] - 1}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const lines = res.text.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(/^\S+Z WARN  chunk_retried \[2025-06-02 pnl_snapshots chunk 3\] \(\S+:\d+\) chunk 3 retried \{"attempt":2\}$/);
      expect(lines[2]).toMatch(/ERROR error .* line one line two$/);
    });

    it('bad input: limit 0 or over 1000, an unknown format, a negative after_id (400); an unknown run (404)', async () => {
      await events(source, 'format=json&limit=0').expect(400);
      await events(source, 'format=json&limit=1001').expect(400);
      await events(source, 'format=xml').expect(400);
      await events(source, 'format=json&after_id=-1').expect(400);
      await events('00000000-0000-4000-8000-000000000000', 'format=json').expect(404);
      await events('00000000-0000-4000-8000-000000000000', 'format=text').expect(404);
    });

    it('without format the same path is still the live status stream', async () => {
      const stream = await readStream(t, `${API}/admin/batch/runs/${source}/events`, admin.token);
      expect(stream.status).toBe(200);
      expect(stream.type).toMatch(/^text\/event-stream/);
      expect(stream.events.map((e) => e.event)).toEqual(['final']);
    });

    it('a user gets 403 for the log too', async () => {
      await request(t.http).get(`${API}/admin/batch/runs/${source}/events?format=json`).set(bearer(owner.token)).expect(403);
    });
  });

  describe('market-data coverage', () => {
    let p2: string;

    beforeAll(async () => {
      // Beta holds XOM, priced only until 2025-05-01 (stale), and NOPX, never priced (missing)
      p2 = await createPortfolioWith(t, owner.token, 'symbol,quantity,entry_price,entry_date\nXOM,5,100,2024-01-02\nNOPX,5,10,2024-01-02\nAAPL,1,100,2024-01-02\n', 'Beta');
      await sql(t, `INSERT INTO daily_prices (symbol, price_date, close, source) VALUES ('XOM', '2025-04-30', 100, 'test'), ('XOM', '2025-05-01', 101, 'test')`);
    });

    it('every held symbol and factor ETF has a close on the date: nothing to report except Beta', async () => {
      const res = await coverage('?date=2025-06-02').expect(200);
      expect(res.body).toMatchObject({ date: '2025-06-02', stale_after_trading_days: 5, stale_before: '2025-05-23', symbols_checked: 11 });
      expect(res.body.missing).toEqual([{ symbol: 'NOPX', last_price_date: null, factor: false, portfolios: [{ portfolio_id: p2, name: 'Beta' }] }]);
      expect(res.body.stale).toEqual([{ symbol: 'XOM', last_price_date: '2025-05-01', factor: false, portfolios: [{ portfolio_id: p2, name: 'Beta' }] }]);
      expect(res.body.portfolios).toEqual([{ portfolio_id: p2, name: 'Beta', missing_symbols: ['NOPX'], stale_symbols: ['XOM'] }]);
    });

    it('a recent gap is missing, listed under every portfolio holding it; a factor ETF gap too', async () => {
      await sql(t, `DELETE FROM daily_prices WHERE price_date = '2025-06-02' AND symbol IN ('AAPL', 'SPY')`);
      const res = await coverage('?date=2025-06-02').expect(200);
      expect(res.body.missing.map((m: { symbol: string }) => m.symbol)).toEqual(['AAPL', 'NOPX', 'SPY']);
      expect(res.body.missing[0]).toEqual({
        symbol: 'AAPL',
        last_price_date: '2025-05-30',
        factor: false,
        portfolios: [
          { portfolio_id: p1, name: 'Alpha' },
          { portfolio_id: p2, name: 'Beta' },
        ],
      });
      expect(res.body.missing[2]).toEqual({ symbol: 'SPY', last_price_date: '2025-05-30', factor: true, portfolios: [] });
      expect(res.body.portfolios).toEqual([
        { portfolio_id: p1, name: 'Alpha', missing_symbols: ['AAPL'], stale_symbols: [] },
        { portfolio_id: p2, name: 'Beta', missing_symbols: ['AAPL', 'NOPX'], stale_symbols: ['XOM'] },
      ]);
    });

    it('the date defaults to the latest completed trading day', async () => {
      const before = latestCompletedTradingDay();
      const res = await coverage().expect(200);
      expect([before, latestCompletedTradingDay()]).toContain(res.body.date);
    });

    it('bad input: a weekend, a future date, a malformed date, an unknown parameter (400)', async () => {
      expect((await coverage('?date=2025-06-07').expect(400)).body.detail).toContain('not a trading day (Saturday); nearest trading day: 2025-06-06 or 2025-06-09');
      expect((await coverage('?date=2199-01-02').expect(400)).body.detail).toContain('in the future');
      await coverage('?date=2025-13-01').expect(400);
      await coverage('?date=1900-01-02').expect(400);
      await coverage('?symbol=AAPL').expect(400);
    });
  });

  describe('retention', () => {
    const retention = () => t.app.get(BatchRetention);
    const count = async (table: string, runIds: string[]) =>
      (await sql(t, `SELECT count(*)::int AS n FROM ${table} WHERE batch_run_id = ANY($1::uuid[])`, [runIds]))[0].n as number;

    it('prunes runs finished longer ago than the limit, with their chunks, results and events, in batches; keeps what must stay', async () => {
      // the source run and 120 bulk runs finished 100 days ago; the re-run of the source is recent
      await sql(t, `UPDATE batch_runs SET finished_at = now() - interval '100 days' WHERE id = $1`, [source]);
      const bulk: string[] = (
        await sql(
          t,
          `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, finished_at)
           SELECT 'completed', 'admin', 'old@example.com', ARRAY[DATE '2025-01-02'], now() - interval '100 days' - g * interval '1 minute'
           FROM generate_series(1, 120) g RETURNING id`,
        )
      ).map((r: { id: string }) => r.id);
      await sql(t, `INSERT INTO batch_run_events (batch_run_id, kind, message) SELECT id, 'run_finished', 'old' FROM unnest($1::uuid[]) id`, [bulk]);
      // never pruned: the latest successful scheduled run (the cron's catch-up starts after it), and an active run
      const [{ id: lastScheduled }] = await sql(
        t,
        `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, scheduled_date, finished_at)
         VALUES ('completed', 'schedule', 'scheduler', ARRAY[DATE '2025-01-03'], '2025-01-03', now() - interval '100 days') RETURNING id`,
      );
      const [{ id: olderScheduled }] = await sql(
        t,
        `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, scheduled_date, finished_at)
         VALUES ('completed', 'schedule', 'scheduler', ARRAY[DATE '2025-01-02'], '2025-01-02', now() - interval '101 days') RETURNING id`,
      );
      const [{ id: running }] = await sql(
        t,
        `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, portfolio_id, started_at, heartbeat_at, finished_at)
         VALUES ('running', 'admin', 'x', ARRAY[DATE '2025-01-02'], gen_random_uuid(), now(), now(), now() - interval '100 days') RETURNING id`,
      );
      const checkpoints = await sql(t, `SELECT portfolio_id, batch_run_id FROM ledger_checkpoints ORDER BY portfolio_id`);
      expect(await count('batch_run_portfolios', [source])).toBe(1);
      expect(await count('batch_run_events', [source])).toBeGreaterThanOrEqual(3);

      const result = await retention().prune(90);
      expect(result).toMatchObject({ ran: true, days: 90, runs: 122 });
      expect(result.events).toBeGreaterThanOrEqual(123);

      const gone = [source, olderScheduled, ...bulk];
      expect((await sql(t, `SELECT count(*)::int AS n FROM batch_runs WHERE id = ANY($1::uuid[])`, [gone]))[0].n).toBe(0);
      for (const table of ['batch_run_portfolios', 'batch_run_chunks', 'batch_run_events']) expect(await count(table, gone)).toBe(0);
      const kept = await sql(t, `SELECT id, status, rerun_of FROM batch_runs WHERE id = ANY($1::uuid[]) ORDER BY id`, [[lastScheduled, running, rerunId]]);
      expect(kept).toHaveLength(3);
      expect(kept.find((r: { id: string }) => r.id === rerunId).rerun_of).toBeNull();
      // the results stay: snapshots still name the pruned run, checkpoints untouched, analytics readable
      expect(await sql(t, `SELECT batch_run_id FROM portfolio_snapshots WHERE portfolio_id = $1 AND snapshot_date = '2025-06-02'`, [p1])).toEqual([{ batch_run_id: source }]);
      expect(await sql(t, `SELECT portfolio_id, batch_run_id FROM ledger_checkpoints ORDER BY portfolio_id`)).toEqual(checkpoints);
      await request(t.http).get(`${API}/portfolio/${p1}/analytics?date=2025-06-02`).set(bearer(owner.token)).expect(200);
      await request(t.http).get(`${API}/admin/batch/runs/${source}`).set(bearer(admin.token)).expect(404);

      // nothing left to prune; 0 days keeps everything
      expect(await retention().prune(90)).toMatchObject({ ran: true, runs: 0, events: 0 });
      expect(await retention().prune(0)).toMatchObject({ ran: false, runs: 0 });
      await sql(t, `UPDATE batch_runs SET status = 'failed', finished_at = now() WHERE id = $1`, [running]);
    });

    // on the PostgreSQL server only: the embedded PGlite shares session advisory locks between its
    // multiplexed connections (and serves one process, so there is nothing to exclude)
    (process.env.TEST_DATABASE_URL ? it : it.skip)('one prune at a time across processes: another holder of the lock makes it a no-op', async () => {
      const [{ id }] = await sql(
        t,
        `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, finished_at) VALUES ('failed', 'admin', 'x', ARRAY[DATE '2025-01-02'], now() - interval '200 days') RETURNING id`,
      );
      const other = new Client({ connectionString: t.db.url });
      await other.connect();
      try {
        await other.query('SELECT pg_advisory_lock(727011)');
        expect(await retention().prune(90)).toMatchObject({ ran: false, runs: 0 });
        await other.query('SELECT pg_advisory_unlock(727011)');
        expect(await retention().prune(90)).toMatchObject({ ran: true, runs: 1 });
      } finally {
        await other.end();
      }
      expect(await sql(t, `SELECT 1 FROM batch_runs WHERE id = $1`, [id])).toEqual([]);
    });
  });
});

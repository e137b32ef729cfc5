/**
 * Live batch status over Server-Sent Events. The app under test runs with
 * PROCESS_ROLE=api (it works no jobs); a peer app on the same database is the
 * worker, so every change the stream shows was made by another "process".
 */
import request from 'supertest';
import { BatchEventLog } from '../src/batch/batch-event-log';
import { BatchEventsService } from '../src/batch/batch-events.service';
import { BatchRunRepository } from '../src/batch/batch-run.repository';
import { asBatchRunId } from '../src/common/branded';
import { BatchQueue } from '../src/batch/batch-queue';
import { RiskPhase } from '../src/batch/phases/risk.phase';
import { SnapshotPhase } from '../src/batch/phases/snapshot.phase';
import { createPortfolioWith, nextCall, slowDown, sql, SMALL_BOOK, startPeerApp, until } from './helpers/batch-helpers';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';
import { readStream } from './helpers/sse';


describe('batch run events (SSE, e2e)', () => {
  let t: TestApp;
  let peer: Awaited<ReturnType<typeof startPeerApp>>;
  let owner: { token: string; id: string };
  let other: { token: string };
  let admin: { token: string };
  let portfolioId: string;

  beforeAll(async () => {
    t = await startTestApp({ PROCESS_ROLE: 'api', DATABASE_URL: 'postgres://test-database.invalid/unused', BATCH_CHUNK_SIZE: '4' });
    peer = await startPeerApp(t, { PROCESS_ROLE: 'worker', BATCH_CHUNK_SIZE: '4' });
    [owner, other, admin] = await Promise.all([signUp(t), signUp(t), signUpAdmin(t)]);
    portfolioId = await createPortfolioWith(t, owner.token, SMALL_BOOK);
    // 40 more portfolios of the owner in bulk, so an all-portfolios run has chunks to show progress on
    await sql(t, `INSERT INTO portfolios (user_id, name, cash_balance) SELECT $1, 'Bulk ' || g, 1000 FROM generate_series(1, 40) g`, [owner.id]);
    await sql(
      t,
      // the ledger (DESIGN §8): holdings opened by TRANSFER_INs
      `WITH h AS (INSERT INTO positions (portfolio_id, symbol, position_type)
         SELECT p.id, s.symbol, 'LONG' FROM portfolios p CROSS JOIN (VALUES ('AAPL'), ('MSFT'), ('XOM')) s(symbol)
         WHERE p.user_id = $1 AND p.name LIKE 'Bulk %' RETURNING id, portfolio_id)
       INSERT INTO transactions (portfolio_id, position_id, type, trade_date, quantity, price) SELECT portfolio_id, id, 'TRANSFER_IN', DATE '2024-01-02', 10, 100 FROM h`,
      [owner.id],
    );
  });
  afterAll(async () => {
    await peer?.close();
    await t?.close();
  });

  it("streams a user run's status to its owner until the final event, then ends", async () => {
    const run = await request(t.http).post(`${API}/portfolio/${portfolioId}/calculate`).set(bearer(owner.token)).send({}).expect(202);
    const res = await readStream(t, `${API}/portfolio/${portfolioId}/batch-status/${run.body.batch_run_id}/events`, owner.token);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/event-stream');
    const names = res.events.map((e) => e.event);
    expect(names[names.length - 1]).toBe('final');
    expect(names.slice(0, -1).every((n) => n === 'status' || n === 'ping')).toBe(true);
    expect(res.events[0].retry).toBeGreaterThan(0);
    const ids = res.events.filter((e) => e.id).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const last = res.events[res.events.length - 1].data;
    expect(last).toMatchObject({ batch_run_id: run.body.batch_run_id, status: 'completed', current_phase: null, portfolios: { total: 1, completed: 1, failed: 0 } });
    // the same view as the polling route
    const polled = await request(t.http).get(`${API}/portfolio/${portfolioId}/batch-status/${run.body.batch_run_id}`).set(bearer(owner.token)).expect(200);
    expect(last).toEqual({ ...polled.body, heartbeat_at: last.heartbeat_at });
  });

  it('pushes phase and progress changes of a run worked in another process, to an admin', async () => {
    // chunks of the peer take ~250 ms each (11 chunks, 2 at a time: ~1.5 s a phase), so a phase is seen part-way
    // however fast the machine: pushed by the chunk events, and even by the 1 s fallback poll alone
    const restore = [slowDown(peer.app.get(SnapshotPhase), 'process', 250), slowDown(peer.app.get(RiskPhase), 'process', 250)];
    const run = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({}).expect(202);
    const res = await readStream(t, `${API}/admin/batch/runs/${run.body.batch_run_id}/events`, admin.token).finally(() => restore.forEach((r) => r()));
    expect(res.status).toBe(200);
    const events = res.events.filter((e) => e.event === 'status' || e.event === 'final');
    expect(events[events.length - 1]).toMatchObject({ event: 'final', data: { status: 'completed', portfolios: { total: 41, completed: 41 } } });
    // it saw the run working: phases moving, and a portfolio phase part-way through
    const phasesSeen = new Set(events.map((e) => e.data.current_phase).filter(Boolean));
    expect(phasesSeen.size).toBeGreaterThanOrEqual(2);
    const partWay = events.some((e) => e.data.phases.some((p: { name: string; status: string; done: number; total: number }) =>
      p.name !== 'market_data' && p.status === 'running' && p.done > 0 && p.done < p.total));
    expect(partWay).toBe(true);
    // consecutive events differ (a change each), and progress never goes back within a phase
    for (let i = 1; i < events.length; i++) expect(events[i].data).not.toEqual(events[i - 1].data);
    for (const name of ['pnl_snapshots', 'risk_analytics']) {
      const done = events.map((e) => e.data.phases.find((p: { name: string }) => p.name === name).done as number);
      expect(done).toEqual([...done].sort((a, b) => a - b));
    }
    // the API process worked none of it
    expect(t.app.get(BatchQueue).jobsDone().every((j) => j.n === 0)).toBe(true);
  });

  describe('pushed by run events, not polled', () => {
    let events: BatchEventsService;
    beforeEach(() => {
      events = t.app.get(BatchEventsService);
      events.fallbackPollMs = 3_600_000; // no poll during these tests: only events can move a stream
    });
    afterEach(() => {
      events.fallbackPollMs = 1_000;
    });

    /**
     * A running run nobody works, watched by an admin stream; `recordOn` records its events (this process's log,
     * or the peer's: another process). Moves it part-way, then to its end; the stream shows both.
     */
    async function followRecordedEvents(recordOn: BatchEventLog, cause: 'event' | 'notify') {
      const [{ id }] = await sql(
        t,
        `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, phases, portfolios_total, heartbeat_at, started_at, current_phase)
         VALUES ('running', 'admin', 'test', ARRAY[DATE '2024-06-03'], $1::jsonb, 8, now(), now(), 'pnl_snapshots') RETURNING id`,
        [JSON.stringify([{ name: 'pnl_snapshots', status: 'running', started_at: null, finished_at: null, done: 0, total: 8 }])],
      );
      const runId = asBatchRunId(id);
      const reads0 = { ...events.reads };
      const reading = readStream(t, `${API}/admin/batch/runs/${id}/events`, admin.token, 20_000);
      await until(() => events.streamCount === 1, 'the stream to open');
      const repo = t.app.get(BatchRunRepository, { strict: false });
      // part-way: 4 of 8 done, then the chunk event
      let read = nextCall(repo, 'viewMany');
      await sql(t, `UPDATE batch_runs SET phases = jsonb_set(phases, '{0,done}', '4') WHERE id = $1`, [id]);
      await recordOn.record({ runId, kind: 'chunk_completed', phase: 'pnl_snapshots', chunkIndex: 0, message: 'chunk 0' });
      await read;
      // the end
      read = nextCall(repo, 'viewMany');
      await sql(t, `UPDATE batch_runs SET status = 'completed', finished_at = now(), phases = jsonb_set(phases, '{0}', '{"name":"pnl_snapshots","status":"completed","started_at":null,"finished_at":null,"done":8,"total":8}') WHERE id = $1`, [id]);
      await recordOn.record({ runId, kind: 'run_finished', message: 'completed', details: { status: 'completed', error: null, duration_ms: 5 } });
      await read;
      const res = await reading;
      expect(res.events.map((e) => e.event)).toEqual(['status', 'status', 'final']);
      expect(res.events.map((e) => e.data.phases[0].done)).toEqual([0, 4, 8]);
      expect(res.events[2].data.status).toBe('completed');
      // no poll ran; reads came from the events (this process also hears its own NOTIFYs, whichever comes first)
      expect(events.reads.poll).toBe(reads0.poll);
      expect(events.reads[cause]).toBeGreaterThan(reads0[cause]);
      // another process's events are not heard in-process: only the NOTIFY brought them
      if (cause === 'notify') expect(events.reads.event).toBe(reads0.event);
    }

    it('an event recorded in this process is pushed at once', async () => {
      await followRecordedEvents(t.app.get(BatchEventLog), 'event');
    });

    // on the PostgreSQL server only: the embedded PGlite delivers a NOTIFY to the sending connection alone (one process there)
    (process.env.TEST_DATABASE_URL ? it : it.skip)('an event recorded in another process arrives by LISTEN/NOTIFY and is pushed', async () => {
      await until(() => t.app.get(BatchEventsService).listening, 'LISTEN to be up (the first stream started it)', 10_000);
      await followRecordedEvents(peer.app.get(BatchEventLog), 'notify');
    });
  });

  it('a final run: one final event and the end at once', async () => {
    const [{ id }] = await sql(t, `SELECT id FROM batch_runs WHERE status = 'completed' ORDER BY created_at LIMIT 1`);
    const res = await readStream(t, `${API}/admin/batch/runs/${id}/events`, admin.token, 5000);
    expect(res.events.map((e) => e.event)).toEqual(['final']);
  });

  it('owner only: 404 to another user and to an admin on the portfolio route; admin route 403 to users; 401 without a token', async () => {
    const run = await request(t.http).post(`${API}/portfolio/${portfolioId}/calculate`).set(bearer(owner.token)).send({}).expect(202);
    const path = `${API}/portfolio/${portfolioId}/batch-status/${run.body.batch_run_id}/events`;
    for (const [token, status] of [[other.token, 404], [admin.token, 404], [undefined, 401]] as const) {
      const res = await readStream(t, path, token, 5000);
      expect(res.status).toBe(status);
      expect(res.type).toContain('application/json');
    }
    const adminPath = `${API}/admin/batch/runs/${run.body.batch_run_id}/events`;
    expect((await readStream(t, adminPath, owner.token, 5000)).status).toBe(403);
    expect((await readStream(t, `${API}/admin/batch/runs/00000000-0000-4000-8000-000000000000/events`, admin.token, 5000)).status).toBe(404);
    // a run that does not cover the portfolio: 404 like a missing one
    const mine = await createPortfolioWith(t, owner.token, SMALL_BOOK, 'Second');
    expect((await readStream(t, `${API}/portfolio/${mine}/batch-status/${run.body.batch_run_id}/events`, owner.token, 5000)).status).toBe(404);
    await readStream(t, path, owner.token); // let it finish
  });

  it('closes open streams with a shutdown event when the app stops', async () => {
    const events = t.app.get(BatchEventsService);
    const [{ id }] = await sql(
      t,
      `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, phases, heartbeat_at, started_at)
       VALUES ('running', 'admin', 'test', ARRAY[DATE '2024-06-03'], '[]', now(), now()) RETURNING id`,
    );
    const reading = readStream(t, `${API}/admin/batch/runs/${id}/events`, admin.token, 10_000);
    await until(() => events.streamCount === 1, 'the stream to open');
    events.onModuleDestroy(); // what app.close() does first
    const res = await reading;
    expect(res.events.map((e) => e.event)).toEqual(['status', 'shutdown']);
    await sql(t, `UPDATE batch_runs SET status = 'failed', finished_at = now() WHERE id = $1`, [id]);
  });
});

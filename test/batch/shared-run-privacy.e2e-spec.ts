import request from 'supertest';
import { asCalendarDate } from '../../src/common/branded';
import { BatchEventsService } from '../../src/batch/batch-events.service';
import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { createPortfolioWith, FACTOR_ETFS, hold, SMALL_BOOK, stockBook, syntheticCsvDir, waitForRun } from '../helpers/batch-helpers';
import { readStream } from '../helpers/sse';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Issue 10 item 6: a user who views an all-portfolio run through their own
 * portfolio sees only their part. Two users, one admin run over both: the
 * other user's portfolio fails on a symbol only they hold (no price file), so
 * the run carries another user's failure, count and market-data issue, and
 * the admin's email, none of which the first user may see.
 */
describe('shared runs show each user only their part (e2e)', () => {
  const SECRET = 'HIDDENCO';
  const DATE = '2025-06-20';
  let t: TestApp;
  let prices: { dir: string; remove: () => void };
  let admin: { token: string; email: string };
  let alice: { token: string; email: string };
  let bob: { token: string; email: string };
  let aliceBook: string;
  let bobBook: string;
  let runId: string;

  const visibleText = (body: unknown) => JSON.stringify(body);

  beforeAll(async () => {
    prices = syntheticCsvDir([...FACTOR_ETFS, 'AAPL', 'MSFT', 'NVDA'], asCalendarDate('2023-01-03'), asCalendarDate('2025-12-31'));
    t = await startTestApp({ MARKET_DATA_PROVIDER: 'csv', MARKET_DATA_CSV_DIR: prices.dir });
    admin = await signUpAdmin(t);
    alice = await signUp(t);
    bob = await signUp(t);
    aliceBook = await createPortfolioWith(t, alice.token, SMALL_BOOK, 'Alice');
    bobBook = await createPortfolioWith(t, bob.token, `symbol,quantity,entry_price,entry_date\nNVDA,10,150,2024-01-02\n${SECRET},25,40,2024-01-02\n`, 'Bob');
    await createPortfolioWith(t, bob.token, stockBook('NVDA'), 'Bob 2');
    const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ calculation_date: DATE }).expect(202);
    runId = res.body.batch_run_id;
  });
  afterAll(async () => {
    await t.close();
    prices.remove();
  });

  it('the admin sees the whole run (the leak this guards against is real)', async () => {
    const run = await waitForRun(t, admin.token, runId);
    expect(run).toMatchObject({ status: 'partial', triggered_by: admin.email, portfolios: { total: 3, completed: 2, failed: 1 } });
    expect(run.market_data_issues).toEqual([expect.objectContaining({ symbol: SECRET })]);
    expect(run.error).toMatch(/1 of 3/);
  });

  it('the SSE stream, opened while the run works, never shows another user\'s part', async () => {
    // the run is held in its snapshot phase until the stream is open, so later events go through the poller
    const held = hold(t.app.get(SnapshotPhase), 'process');
    const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ calculation_date: '2025-06-23' }).expect(202);
    await held.entered;
    const reading = readStream(t, `${API}/portfolio/${aliceBook}/batch-status/${res.body.batch_run_id}/events`, alice.token);
    const events = t.app.get(BatchEventsService);
    while (events.streamCount === 0) await new Promise((r) => setImmediate(r));
    held.release();
    const stream = await reading;
    expect(stream.status).toBe(200);
    expect(stream.events[0].data.status).toBe('running');
    expect(stream.events.at(-1)?.event).toBe('final');
    for (const e of stream.events.filter((x) => x.event === 'status' || x.event === 'final')) {
      expect(e.data.triggered_by).toBe('admin');
      expect(e.data.portfolios.total).toBe(1);
      expect(visibleText(e.data)).not.toContain(admin.email);
      expect(visibleText(e.data)).not.toContain(SECRET);
    }
    expect(stream.events.at(-1)?.data).toMatchObject({ status: 'completed', portfolios: { total: 1, completed: 1, failed: 0 }, market_data_issues: [], error: null });
  });

  it('GET /portfolio/{id}/batch-status/{run}: alice sees her portfolio only, no admin email, no foreign symbol or failure', async () => {
    const res = await request(t.http).get(`${API}/portfolio/${aliceBook}/batch-status/${runId}`).set(bearer(alice.token)).expect(200);
    expect(res.body).toMatchObject({
      batch_run_id: runId,
      status: 'completed',
      triggered_by: 'admin',
      portfolios: { total: 1, completed: 1, failed: 0 },
      market_data_issues: [],
      error: null,
    });
    for (const p of res.body.phases) expect(p.total).toBeLessThanOrEqual(1 + FACTOR_ETFS.length + 3);
    expect(visibleText(res.body)).not.toContain(admin.email);
    expect(visibleText(res.body)).not.toContain(SECRET);
    expect(visibleText(res.body)).not.toContain(bobBook);
  });

  it('bob, whose portfolio failed, sees his own failure and symbol, but not the admin email', async () => {
    const res = await request(t.http).get(`${API}/portfolio/${bobBook}/batch-status/${runId}`).set(bearer(bob.token)).expect(200);
    expect(res.body).toMatchObject({ status: 'partial', triggered_by: 'admin', portfolios: { total: 2, completed: 1, failed: 1 }, error: '1 of 2 portfolio(s) failed' });
    expect(res.body.market_data_issues).toEqual([expect.objectContaining({ symbol: SECRET })]);
    expect(visibleText(res.body)).not.toContain(admin.email);
  });

  it('GET /portfolio/{id}/batch-runs: the same cut for every run listed', async () => {
    const res = await request(t.http).get(`${API}/portfolio/${aliceBook}/batch-runs`).set(bearer(alice.token)).expect(200);
    expect(res.body.length).toBeGreaterThanOrEqual(1);
    for (const run of res.body) {
      expect(run).toMatchObject({ triggered_by: 'admin', portfolios: { total: 1 }, market_data_issues: [] });
      expect(visibleText(run)).not.toContain(admin.email);
      expect(visibleText(run)).not.toContain(SECRET);
    }
  });

  it("a user's own calculate keeps their own email", async () => {
    const res = await request(t.http).post(`${API}/portfolio/${aliceBook}/calculate`).set(bearer(alice.token)).send({ calculation_date: DATE }).expect(202);
    await waitForRun(t, admin.token, res.body.batch_run_id);
    const view = await request(t.http).get(`${API}/portfolio/${aliceBook}/batch-status/${res.body.batch_run_id}`).set(bearer(alice.token)).expect(200);
    expect(view.body).toMatchObject({ triggered_by: alice.email, portfolio_id: aliceBook, portfolios: { total: 1, completed: 1 } });
  });
});

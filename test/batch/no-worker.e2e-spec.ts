import request from 'supertest';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { BatchRunTracker } from '../../src/batch/batch-run-tracker';
import { createPortfolioWith, nextCall, sql, stockBook } from '../helpers/batch-helpers';

/**
 * PROCESS_ROLE=api: the app takes triggers but works no jobs, so a run stays
 * queued. Cancel of a queued run is immediate; a queued run nothing picks up
 * is swept by the periodic sweep (DESIGN §4 "nothing stays active forever").
 */
describe('queued runs without a worker (e2e)', () => {
  let t: TestApp;
  let admin: { token: string; email: string };
  let owner: { token: string };
  let p1: string;

  beforeAll(async () => {
    // stale limit 5 s: the sweep runs every ~1.25 s, a queued run is abandoned after 5 × 5 s
    // (PROCESS_ROLE=api insists on DATABASE_URL; the test app connects to its own test database whatever this says)
    t = await startTestApp({ PROCESS_ROLE: 'api', DATABASE_URL: 'postgres://test-database.invalid/unused', BATCH_HEARTBEAT_SECONDS: '1', BATCH_STALE_SECONDS: '5' });
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    p1 = await createPortfolioWith(t, owner.token, stockBook('AAPL'), 'One');
  });
  afterAll(() => t.close());

  const tracker = () => t.app.get(BatchRunTracker);
  const calculate = () => request(t.http).post(`${API}/portfolio/${p1}/calculate`).set(bearer(owner.token)).send({});
  const view = async (id: string) => (await request(t.http).get(`${API}/admin/batch/runs/${id}`).set(bearer(admin.token)).expect(200)).body;

  it('a queued run is cancelled at once', async () => {
    const res = await calculate().expect(202);
    const id = res.body.batch_run_id;
    // nothing works jobs here: after a sweep the run is still queued, not started
    expect(await tracker().sweep()).not.toContain(id);
    expect(await view(id)).toMatchObject({ status: 'queued', started_at: null });
    expect((await calculate().expect(409)).body.batch_run_id).toBe(id);

    const c = await request(t.http).post(`${API}/admin/batch/runs/${id}/cancel`).set(bearer(admin.token)).expect(202);
    expect(c.body).toMatchObject({ batch_run_id: id, status: 'cancelled', error: `cancelled by ${admin.email}` });
    expect(c.body.finished_at).not.toBeNull();
    const current = await request(t.http).get(`${API}/admin/batch/current`).set(bearer(admin.token)).expect(200);
    expect(current.body.runs).toEqual([]);
    const polled = await request(t.http).get(res.body.poll_url).set(bearer(owner.token)).expect(200);
    expect(polled.body.status).toBe('cancelled');
  });

  it('a queued run nothing picks up is swept, and the portfolio is free again', async () => {
    const res = await calculate().expect(202);
    const id = res.body.batch_run_id;
    // age it past the queued limit (5 × stale) instead of waiting 25 s, then sweep
    await sql(t, `UPDATE batch_runs SET created_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    expect(await tracker().sweep()).toEqual([id]);
    expect(await view(id)).toMatchObject({ status: 'failed', error: 'abandoned: no worker picked it up' });
    const next = await calculate().expect(202);
    expect(next.body.batch_run_id).not.toBe(id);
  });

  it('the periodic sweep runs by itself and retires an abandoned queued run (fails if it never runs)', async () => {
    const id = (await request(t.http).get(`${API}/admin/batch/current`).set(bearer(admin.token)).expect(200)).body.runs[0].batch_run_id;
    await sql(t, `UPDATE batch_runs SET created_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    // the interval (every ~1.25 s here) calls sweep(); nobody else does
    expect(await nextCall(tracker(), 'sweep', 10_000)).toEqual([id]);
    expect(await view(id)).toMatchObject({ status: 'failed', error: 'abandoned: no worker picked it up' });
  });

  it('a freshly queued run is not swept, neither by a direct sweep nor by the next periodic one', async () => {
    const res = await calculate().expect(202);
    expect(await tracker().sweep()).toEqual([]);
    expect(await nextCall(tracker(), 'sweep', 10_000)).toEqual([]);
    expect((await view(res.body.batch_run_id)).status).toBe('queued');
  });
});

import request from 'supertest';
import { API, bearer, signUp, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, pollUntilFinal, SMALL_BOOK } from '../helpers/batch-helpers';

describe('user recalculation (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('accepts, completes, and accepts again (the original system answered 409 forever)', async () => {
    const u = await signUp(t);
    const id = await createPortfolioWith(t, u.token, SMALL_BOOK);
    const first = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(u.token)).send({}).expect(202);
    expect(first.body).toMatchObject({ status: 'accepted', batch_run_id: expect.any(String) });
    expect(first.body.poll_url).toBe(`/api/v1/portfolio/${id}/batch-status/${first.body.batch_run_id}`);
    const done = await pollUntilFinal(t, first.body.poll_url, u.token);
    expect(done.status).toBe('completed');
    expect(done.phases.map((p: { status: string }) => p.status)).toEqual(['completed', 'completed', 'completed']);
    const again = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(u.token)).send({}).expect(202);
    expect(again.body.batch_run_id).not.toBe(first.body.batch_run_id);
    const done2 = await pollUntilFinal(t, again.body.poll_url, u.token);
    expect(done2.status).toBe('completed');
    const analytics = await request(t.http).get(`${API}/portfolio/${id}/analytics`).set(bearer(u.token)).expect(200);
    expect(analytics.body.snapshot.position_count).toBe(3);
    expect(analytics.body.risk).not.toBeNull();
  });
});

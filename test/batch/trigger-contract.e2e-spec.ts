import request from 'supertest';
import { BatchScheduler } from '../../src/batch/batch-scheduler';
import { BatchService } from '../../src/batch/batch.service';
import type { BatchTriggerRequest } from '../../src/batch/batch.types';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, patchMethod, stockBook, waitUntilIdle } from '../helpers/batch-helpers';

/**
 * DESIGN §4: the user route, the admin route and the cron all start work
 * through `BatchService.trigger` (the type side is test/types/batch-trigger.types.ts).
 * The method is wrapped on the app's own BatchService instance, so the real
 * trigger still runs.
 */
describe('one trigger method for every entry point (e2e)', () => {
  let t: TestApp;
  let calls: BatchTriggerRequest[];
  let restore: () => void;

  beforeAll(async () => {
    t = await startTestApp();
    calls = [];
    restore = patchMethod(t.app.get(BatchService), 'trigger', (original) => (request: BatchTriggerRequest, ...rest: unknown[]) => {
      calls.push(request);
      return original(request, ...rest);
    });
  });
  afterAll(async () => {
    restore();
    await t.close();
  });

  it('the user route and the admin route both call BatchService.trigger, as "user" and "admin"', async () => {
    const user = await signUp(t);
    const admin = await signUpAdmin(t);
    const id = await createPortfolioWith(t, user.token, stockBook('AAPL'));

    const u = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(user.token)).send({ calculation_date: '2025-06-02' }).expect(202);
    await waitUntilIdle(t, admin.token);
    const a = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ portfolio_id: id, calculation_date: '2025-06-03' }).expect(202);
    await waitUntilIdle(t, admin.token);

    expect(calls).toEqual([
      { trigger: 'user', triggeredBy: user.email, portfolioId: id, calculationDate: '2025-06-02' },
      {
        trigger: 'admin',
        triggeredBy: admin.email,
        portfolioId: id,
        calculationDate: '2025-06-03',
        startDate: undefined,
        endDate: undefined,
        force: undefined,
      },
    ]);
    // and the runs they started are what the routes answered with
    expect(u.body.batch_run_id).not.toBe(a.body.batch_run_id);
    const runs = await request(t.http).get(`${API}/admin/batch/runs`).set(bearer(admin.token)).expect(200);
    expect(runs.body.runs.map((r: { batch_run_id: string; trigger: string }) => [r.batch_run_id, r.trigger])).toEqual([
      [a.body.batch_run_id, 'admin'],
      [u.body.batch_run_id, 'user'],
    ]);
  });

  it('the cron goes through it too, as "schedule"', async () => {
    calls.length = 0;
    const admin = await signUpAdmin(t);
    const run = await t.app.get(BatchScheduler).fire(new Date('2025-06-24T23:00:00Z'));
    expect(run).not.toBeNull();
    expect(calls).toEqual([{ trigger: 'schedule', triggeredBy: 'scheduler', scheduledDate: '2025-06-24', calculationDate: '2025-06-24' }]);
    await waitUntilIdle(t, admin.token);
  });

  it('a rejected request is rejected by trigger, not by the route (same rules for both)', async () => {
    calls.length = 0;
    const user = await signUp(t);
    const admin = await signUpAdmin(t);
    const id = await createPortfolioWith(t, user.token, stockBook('MSFT'));
    const u = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(user.token)).send({ calculation_date: '2025-06-21' }).expect(400);
    const a = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ portfolio_id: id, calculation_date: '2025-06-21' }).expect(400);
    expect(u.body.detail).toBe(a.body.detail);
    expect(calls.map((c) => c.trigger)).toEqual(['user', 'admin']);
  });
});

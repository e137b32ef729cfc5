import request from 'supertest';
import { DataSource } from 'typeorm';
import { BatchEventLog } from '../../src/batch/batch-event-log';
import { sqlRows } from '../../src/database/sql';
import { LimitsEvaluator } from '../../src/limits/limits-evaluator';
import type { BatchRunId } from '../../src/common/branded';
import { verifyWebhook } from '../../src/webhooks/webhook-signature';
import { createPortfolioWith, eventually, pollUntilFinal, SMALL_BOOK, sql } from '../helpers/batch-helpers';
import { readStream } from '../helpers/sse';
import { API, bearer, signUp, startTestApp, TestApp } from '../helpers/test-app';
import { ReceivedHook, SseListener, WebhookReceiver } from '../helpers/webhook-receiver';

/** The receiver's check, as the README tells a user to write it. */
function expectSigned(hook: ReceivedHook, secret: string): void {
  const signature = String(hook.headers['x-sigmasight-signature']);
  const timestamp = String(hook.headers['x-sigmasight-timestamp']);
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(verifyWebhook(secret, hook.body, signature, timestamp)).toBe(true);
  expect(verifyWebhook('whsec_someone-else', hook.body, signature, timestamp)).toBe(false);
  expect(hook.headers['idempotency-key']).toBe(hook.json.id);
  expect(hook.headers['x-sigmasight-event']).toBe(hook.json.type);
  expect(hook.headers['content-type']).toBe('application/json');
}

describe('limits, alerts, SSE and signed webhooks (e2e)', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_RETRY_DELAY_SECONDS: '1' });
    receiver = await new WebhookReceiver().listen();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  const calculate = async (token: string, id: string) => {
    const run = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(token)).send({}).expect(202);
    const done = await pollUntilFinal(t, run.body.poll_url, token, 60_000);
    expect(done.status).toBe('completed');
    return run.body.batch_run_id as string;
  };
  const alerts = async (token: string, id: string, status = 'all') =>
    (await request(t.http).get(`${API}/portfolio/${id}/alerts?status=${status}`).set(bearer(token)).expect(200)).body as any[];

  it('a breach opens an alert after the run, pushed on SSE and to a signed webhook that was failing at first; it stays open, then resolves', async () => {
    const u = await signUp(t);
    const pid = await createPortfolioWith(t, u.token, SMALL_BOOK);
    const hook = await request(t.http)
      .post(`${API}/webhooks`)
      .set(bearer(u.token))
      .send({ url: receiver.url(), events: ['alert.opened', 'alert.resolved', 'batch.completed'] })
      .expect(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    const secret: string = hook.body.secret;
    const listed = await request(t.http).get(`${API}/webhooks`).set(bearer(u.token)).expect(200);
    expect(listed.body).toEqual([{ id: hook.body.id, url: receiver.url(), events: ['alert.opened', 'alert.resolved', 'batch.completed'], created_at: hook.body.created_at }]);

    const put = await request(t.http).put(`${API}/portfolio/${pid}/limits`).set(bearer(u.token)).send({ gross_exposure_max: 0.01, beta_min: null }).expect(200);
    expect(put.body.limits).toMatchObject({ gross_exposure_max: 0.01, beta_min: null, var_95_pct_max: null });
    const got = await request(t.http).get(`${API}/portfolio/${pid}/limits`).set(bearer(u.token)).expect(200);
    expect(got.body).toEqual(put.body);

    const stream = await SseListener.open(t, `${API}/alerts/events`, u.token);
    receiver.failNext(1); // the receiver is busy at first: the delivery must be retried
    const run1 = await calculate(u.token, pid);

    // the alert: opened by the run, with its value and threshold
    const [opened] = await eventually(async () => ((await alerts(u.token, pid, 'open')).length ? alerts(u.token, pid, 'open') : undefined), 'an open alert');
    expect(opened).toMatchObject({ portfolio_id: pid, limit: 'gross_exposure_max', subject: null, status: 'open', threshold: 0.01, resolved_at: null, batch_run_id: run1 });
    expect(opened.value).toBeGreaterThan(0.01);
    expect(opened.opened_value).toBe(opened.value);
    expect(opened.message).toMatch(/^gross_exposure_max breached: .* is above the limit 0\.01$/);
    const analytics = await request(t.http).get(`${API}/portfolio/${pid}/analytics`).set(bearer(u.token)).expect(200);
    expect(opened.value).toBeCloseTo(analytics.body.snapshot.gross_exposure / analytics.body.snapshot.total_value, 12);
    expect(opened.opened_as_of).toBe(analytics.body.as_of);

    // SSE: alert.opened with the same alert
    const sseOpened = await stream.next((e) => e.event === 'alert.opened', 'alert.opened on SSE');
    expect(sseOpened.data).toMatchObject({ type: 'alert.opened', portfolio_id: pid, data: { alert: { id: opened.id, status: 'open' } } });

    // webhook: the first attempt got 503, the retry delivered it, signed
    const delivered = await receiver.next((h) => h.json.type === 'alert.opened', 'alert.opened webhook');
    expectSigned(delivered, secret);
    expect(delivered.json).toMatchObject({ type: 'alert.opened', portfolio_id: pid, data: { alert: { id: opened.id, limit: 'gross_exposure_max' } } });
    expect(delivered.json.id).toBe(sseOpened.data.id);
    const failedFirst = receiver.received.filter((h) => h.answered === 503);
    expect(failedFirst).toHaveLength(1);
    const batchDone = await receiver.next((h) => h.json.type === 'batch.completed', 'batch.completed webhook');
    expect(batchDone.json.data).toMatchObject({ batch_run_id: run1, status: 'completed', portfolio_ids: [pid], alerts_opened: 1, alerts_resolved: 0 });
    expectSigned(batchDone, secret);

    // the delivery log shows the failed attempt and the successful retry
    const log = await eventually(async () => {
      const res = await request(t.http).get(`${API}/webhooks/${hook.body.id}/deliveries`).set(bearer(u.token)).expect(200);
      return res.body.length === 2 && res.body.every((d: any) => d.status === 'delivered') ? res.body : undefined;
    }, 'both deliveries delivered');
    expect(log.find((d: any) => d.event_type === 'alert.opened').event_id).toBe(delivered.json.id);
    expect(log.map((d: any) => d.next_retry_at)).toEqual([null, null]);
    // the busy answer hit one of the two deliveries (they run concurrently): that one took two attempts
    const retried = log.filter((d: any) => d.attempts === 2);
    expect(retried).toHaveLength(1);
    expect(retried[0].attempt_log).toEqual([
      expect.objectContaining({ attempt: 1, status_code: 503, error: 'HTTP 503' }),
      expect.objectContaining({ attempt: 2, status_code: 200, error: null }),
    ]);
    expect(log.find((d: any) => d.attempts === 1).attempt_log).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, error: null })]);

    // idempotent per run: evaluating the same run again changes nothing
    const eventsBefore = await sql(t, `SELECT count(*)::int AS n FROM notification_events`);
    const again = await t.app.get(LimitsEvaluator).evaluateRun(run1 as BatchRunId);
    expect(again).toMatchObject({ portfolios: 0, opened: 0, resolved: 0 });
    expect(await alerts(u.token, pid)).toEqual([opened]);
    expect(await sql(t, `SELECT count(*)::int AS n FROM notification_events`)).toEqual(eventsBefore);

    // still breached after another run: the same alert, seen again
    const run2 = await calculate(u.token, pid);
    const kept = await eventually(async () => {
      const list = await alerts(u.token, pid);
      return list.length === 1 && list[0].batch_run_id === run2 ? list[0] : undefined;
    }, 'the alert seen by the second run');
    expect(kept).toMatchObject({ id: opened.id, status: 'open', opened_at: opened.opened_at });
    expect(new Date(kept.last_seen_at).getTime()).toBeGreaterThan(new Date(opened.last_seen_at).getTime());

    // the limit raised: the next run resolves the alert
    await request(t.http).put(`${API}/portfolio/${pid}/limits`).set(bearer(u.token)).send({ gross_exposure_max: 50 }).expect(200);
    const run3 = await calculate(u.token, pid);
    const resolved = await eventually(async () => (await alerts(u.token, pid, 'resolved'))[0], 'a resolved alert');
    expect(resolved).toMatchObject({ id: opened.id, status: 'resolved', threshold: opened.threshold, batch_run_id: run3, opened_at: opened.opened_at });
    expect(resolved.value).toBeLessThan(50);
    expect(resolved.resolved_at).not.toBeNull();
    expect(resolved.message).toMatch(/resolved: .* is within the limit 0\.01$/);
    expect(await alerts(u.token, pid, 'open')).toEqual([]);
    const sseResolved = await stream.next((e) => e.event === 'alert.resolved', 'alert.resolved on SSE');
    expect(sseResolved.data.data.alert).toMatchObject({ id: opened.id, status: 'resolved' });
    expect(Number(sseResolved.id)).toBeGreaterThan(Number(sseOpened.id));
    const resolvedHook = await receiver.next((h) => h.json.type === 'alert.resolved', 'alert.resolved webhook');
    expectSigned(resolvedHook, secret);
    expect(resolvedHook.json.data.alert.id).toBe(opened.id);
    stream.close();

    // SSE resumes after Last-Event-ID: the events since the opened one are replayed
    const replay = await SseListener.open(t, `${API}/alerts/events?since=${sseOpened.id}`, u.token);
    const replayed = await replay.next((e) => e.event === 'alert.resolved', 'replayed alert.resolved');
    expect(replayed.id).toBe(sseResolved.id);
    expect(replay.events.some((e) => e.event === 'alert.opened')).toBe(false);
    replay.close();

    // max_seconds=0: a one-shot read of what happened since, then the end of the stream
    const once = await readStream(t, `${API}/alerts/events?since=${sseOpened.id}&max_seconds=0`, u.token);
    expect(once.status).toBe(200);
    expect(once.events[0].event).toBe('ready');
    expect(once.events.at(-1)!.event).toBe('end');
    expect(once.events.filter((e) => e.event.startsWith('alert.')).map((e) => [e.event, e.id])).toEqual([['alert.resolved', sseResolved.id]]);
    expect(once.events.filter((e) => e.event === 'batch.completed').map((e) => e.data.data.batch_run_id)).toEqual([run1, run2, run3]);
  }, 180_000);

  it("a run's limit evaluation is queued in the transaction that records its end: rolled back with it, committed with it", async () => {
    const u = await signUp(t);
    const pid = await createPortfolioWith(t, u.token, SMALL_BOOK);
    const runId = await calculate(u.token, pid);
    const job = () => sql(t, `SELECT state FROM pgboss.job WHERE name = 'limits-evaluate' AND id = $1`, [runId]);
    await eventually(async () => ((await job()).length ? true : undefined), 'the limits job of the run');
    await sql(t, `DELETE FROM pgboss.job WHERE name = 'limits-evaluate' AND id = $1`, [runId]);
    const log = t.app.get(BatchEventLog);
    const finished = { runId: runId as BatchRunId, kind: 'run_finished' as const, message: 'run completed', details: { status: 'completed' } };
    await expect(t.app.get(DataSource).transaction(async (em) => {
      await log.record(finished, em);
      expect(await sqlRows(em, `SELECT 1 FROM pgboss.job WHERE name = 'limits-evaluate' AND id = $1`, [runId])).toHaveLength(1);
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await job()).toEqual([]);
    await t.app.get(DataSource).transaction((em) => log.record(finished, em));
    expect(await job()).toHaveLength(1);
  });

  it("another user's portfolio: limits, alerts and its stream filter answer 404; webhooks are per user", async () => {
    const [owner, other] = await Promise.all([signUp(t), signUp(t)]);
    const pid = await createPortfolioWith(t, owner.token, SMALL_BOOK);
    await request(t.http).put(`${API}/portfolio/${pid}/limits`).set(bearer(other.token)).send({ beta_max: 1 }).expect(404);
    await request(t.http).get(`${API}/portfolio/${pid}/alerts`).set(bearer(other.token)).expect(404);
    await request(t.http).get(`${API}/alerts/events?portfolio_id=${pid}&max_seconds=1`).set(bearer(other.token)).expect(404);
    const hook = await request(t.http).post(`${API}/webhooks`).set(bearer(owner.token)).send({ url: receiver.url(), events: ['alert.opened'] }).expect(201);
    expect((await request(t.http).get(`${API}/webhooks`).set(bearer(other.token)).expect(200)).body).toEqual([]);
    await request(t.http).get(`${API}/webhooks/${hook.body.id}/deliveries`).set(bearer(other.token)).expect(404);
    await request(t.http).delete(`${API}/webhooks/${hook.body.id}`).set(bearer(other.token)).expect(404);
    await request(t.http).delete(`${API}/webhooks/${hook.body.id}`).set(bearer(owner.token)).expect(204);
    await request(t.http).delete(`${API}/webhooks/${hook.body.id}`).set(bearer(owner.token)).expect(404);
  });

  it('a sector limit opens one alert per sector over it, from the run\'s stored exposures; a book without limits in the same run gets none', async () => {
    const u = await signUp(t);
    const pid = await createPortfolioWith(t, u.token, SMALL_BOOK);
    const bare = await createPortfolioWith(t, u.token, SMALL_BOOK, 'No limits');
    await request(t.http).put(`${API}/portfolio/${pid}/limits`).set(bearer(u.token)).send({ sector_weight_max: 0.05 }).expect(200);
    await calculate(u.token, pid);
    await calculate(u.token, bare);
    const { exposures } = (await request(t.http).get(`${API}/portfolio/${pid}/exposures`).set(bearer(u.token)).expect(200)).body;
    const buckets = exposures.by_sector as Array<{ key: string; gross: number }>;
    const total = buckets.reduce((a, b) => a + b.gross, 0);
    const over = buckets.filter((b) => b.gross / total > 0.05).map((b) => b.key).sort();
    expect(over.length).toBeGreaterThan(0);
    const open = await eventually(async () => {
      const list = await alerts(u.token, pid, 'open');
      return list.length === over.length ? list : undefined;
    }, 'one open alert per sector over the limit');
    expect(open.map((a) => a.subject).sort()).toEqual(over);
    for (const a of open) expect(a).toMatchObject({ limit: 'sector_weight_max', threshold: 0.05 });
    expect(await alerts(u.token, bare)).toEqual([]);
  });

  it('limits with impossible values are a 400 listing every problem, and nothing is stored', async () => {
    const u = await signUp(t);
    const pid = await createPortfolioWith(t, u.token, SMALL_BOOK);
    await request(t.http).put(`${API}/portfolio/${pid}/limits`).set(bearer(u.token)).send({ var_95_pct_max: 3 }).expect(200);
    const res = await request(t.http)
      .put(`${API}/portfolio/${pid}/limits`)
      .set(bearer(u.token))
      .send({ var_95_pct_max: -2, beta_min: 1.5, beta_max: 0.5, top_position_weight_max: 1.2, max_drawdown_min: 0.3, net_exposure_min: 1, net_exposure_max: -1, sector_weight_max: 0 })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['beta_min', 'max_drawdown_min', 'net_exposure_min', 'sector_weight_max', 'top_position_weight_max', 'var_95_pct_max'].sort(),
    );
    expect(res.body.detail).toContain('beta_min 1.5 is greater than beta_max 0.5');
    for (const body of [{ var_95_pct_max: 'high' }, { beta_max: 1, unknown_limit: 2 }, { volatility_max: '0.2' }]) {
      const bad = await request(t.http).put(`${API}/portfolio/${pid}/limits`).set(bearer(u.token)).send(body).expect(400);
      expect(bad.body.errors.length).toBeGreaterThan(0);
    }
    const kept = await request(t.http).get(`${API}/portfolio/${pid}/limits`).set(bearer(u.token)).expect(200);
    expect(kept.body.limits.var_95_pct_max).toBe(3);
    await request(t.http).get(`${API}/portfolio/${pid}/alerts?status=closed`).set(bearer(u.token)).expect(400);
  });

  it('a webhook URL that is not http(s), or has an unknown event, is a 400', async () => {
    const u = await signUp(t);
    for (const url of ['ftp://example.com/hook', 'file:///etc/passwd', 'javascript:alert(1)', 'example.com/hook', 'https://user:pw@example.com/']) {
      const res = await request(t.http).post(`${API}/webhooks`).set(bearer(u.token)).send({ url, events: ['alert.opened'] }).expect(400);
      expect(res.body.errors[0].field).toBe('url');
    }
    await request(t.http).post(`${API}/webhooks`).set(bearer(u.token)).send({ url: 'https://example.com/', events: ['alert.exploded'] }).expect(400);
    await request(t.http).post(`${API}/webhooks`).set(bearer(u.token)).send({ url: 'https://example.com/', events: [] }).expect(400);
    expect((await request(t.http).get(`${API}/webhooks`).set(bearer(u.token)).expect(200)).body).toEqual([]);
  });
});

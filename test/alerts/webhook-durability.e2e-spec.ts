import { lookup } from 'node:dns/promises';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import request from 'supertest';
import { buildApp } from '../../src/bootstrap';
import { configureRootLogger } from '../../src/common/logging';
import { isPrivateAddress } from '../../src/webhooks/webhook-target';
import { verifyWebhook } from '../../src/webhooks/webhook-signature';
import { createPortfolioWith, eventually, pollUntilFinal, SMALL_BOOK } from '../helpers/batch-helpers';
import { installContractCheck } from '../helpers/contract';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';
import { API, bearer, closeApp, signUp, startTestApp, TestApp, testSettings } from '../helpers/test-app';
import { freePort, WebhookReceiver } from '../helpers/webhook-receiver';

/** One app process on `db` (closing it leaves the database: a restart is another call). */
async function startOn(db: TestDatabase, env: Record<string, string>): Promise<TestApp> {
  const { settings, dataDir } = testSettings('durable', env);
  configureRootLogger(settings.logLevel);
  const app = await buildApp(settings, db.url, false);
  const contract = installContractCheck(app);
  return {
    app,
    http: app.getHttpServer(),
    db,
    contract,
    close: async () => {
      await closeApp(app);
      rmSync(dataDir, { recursive: true, force: true });
      contract.assertClean();
    },
  };
}

const deliveries = async (t: TestApp, token: string, webhookId: string) =>
  (await request(t.http).get(`${API}/webhooks/${webhookId}/deliveries`).set(bearer(token)).expect(200)).body as any[];

async function breachAndRun(t: TestApp, token: string): Promise<string> {
  const pid = await createPortfolioWith(t, token, SMALL_BOOK);
  await request(t.http).put(`${API}/portfolio/${pid}/limits`).set(bearer(token)).send({ gross_exposure_max: 0.01 }).expect(200);
  const run = await request(t.http).post(`${API}/portfolio/${pid}/calculate`).set(bearer(token)).send({}).expect(202);
  expect((await pollUntilFinal(t, run.body.poll_url, token, 60_000)).status).toBe('completed');
  return pid;
}

describe('webhook delivery survives a receiver that is down and a restart of the service (e2e)', () => {
  it('receiver not listening at first, the service restarted in between: the alert still arrives, signed', async () => {
    const db = await createTestDatabase();
    const receiver = new WebhookReceiver();
    const env = { WEBHOOK_RETRY_DELAY_SECONDS: '1' };
    let b: TestApp | null = null;
    try {
      const port = await freePort(); // nothing listens there yet
      const a = await startOn(db, env);
      const u = await signUp(a);
      const hook = await request(a.http).post(`${API}/webhooks`).set(bearer(u.token)).send({ url: `http://127.0.0.1:${port}/hook`, events: ['alert.opened'] }).expect(201);
      const pid = await breachAndRun(a, u.token);
      // the first attempt failed (connection refused) and the delivery waits for its retry
      const [pending] = await eventually(async () => {
        const list = await deliveries(a, u.token, hook.body.id);
        return list.length === 1 && list[0].attempts >= 1 ? list : undefined;
      }, 'a failed first attempt');
      expect(pending).toMatchObject({ event_type: 'alert.opened', status: 'pending' });
      expect(pending.attempt_log[0]).toMatchObject({ attempt: 1, status_code: null, error: expect.stringMatching(/ECONNREFUSED/) });
      await a.close();

      // the receiver comes up, the service starts again on the same database: the durable job delivers
      await receiver.listen(port);
      b = await startOn(db, env);
      const got = await receiver.next((h) => h.json.type === 'alert.opened', 'the alert after the restart', 60_000);
      expect(verifyWebhook(hook.body.secret, got.body, String(got.headers['x-sigmasight-signature']), String(got.headers['x-sigmasight-timestamp']))).toBe(true);
      expect(got.json).toMatchObject({ type: 'alert.opened', portfolio_id: pid, data: { alert: { limit: 'gross_exposure_max', status: 'open' } } });
      expect(got.headers['idempotency-key']).toBe(got.json.id);
      const [done] = await eventually(async () => {
        const list = await deliveries(b!, u.token, hook.body.id);
        return list[0]?.status === 'delivered' ? list : undefined;
      }, 'the delivery marked delivered');
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      expect(done.attempt_log.at(-1)).toMatchObject({ status_code: 200, error: null });
      expect(done.event_id).toBe(got.json.id);
    } finally {
      await b?.close();
      await receiver.close();
      // two apps' pg-boss worker loops ended on this database: one more round before it is dropped
      await new Promise((r) => setTimeout(r, 1100));
      await db.drop();
    }
  }, 180_000);
});

describe('private webhook targets in production mode (e2e)', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    receiver = await new WebhookReceiver().listen();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it('refuses loopback, private, link-local/metadata, CGNAT and unique-local targets at registration with a 400', async () => {
    const u = await signUp(t);
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', 'http://10.1.2.3/', 'http://192.168.0.10/', 'http://100.64.1.1/', 'http://[fd00::1]/', 'http://localhost:3000/', 'http://[::ffff:127.0.0.1]/']) {
      const res = await request(t.http).post(`${API}/webhooks`).set(bearer(u.token)).send({ url, events: ['alert.opened'] }).expect(400);
      expect(res.body.detail).toMatch(/not allowed in production \(WEBHOOK_ALLOW_PRIVATE_TARGETS\)/);
    }
    expect((await request(t.http).get(`${API}/webhooks`).set(bearer(u.token)).expect(200)).body).toEqual([]);
  });

  it('refuses at delivery a host name that resolves to a private address: no request is made, the delivery fails at once', async () => {
    const name = hostname();
    const { address } = await lookup(name);
    if (!isPrivateAddress(address)) throw new Error(`test precondition: ${name} should resolve to a private address, got ${address}`);
    const u = await signUp(t);
    const hook = await request(t.http).post(`${API}/webhooks`).set(bearer(u.token)).send({ url: `http://${name}:${receiver.port}/hook`, events: ['alert.opened'] }).expect(201);
    await breachAndRun(t, u.token);
    const [failed] = await eventually(async () => {
      const list = await deliveries(t, u.token, hook.body.id);
      return list[0]?.status === 'failed' ? list : undefined;
    }, 'the refused delivery');
    expect(failed.attempts).toBe(1);
    expect(failed.attempt_log).toEqual([expect.objectContaining({ attempt: 1, status_code: null, error: expect.stringMatching(/resolves to a private address/) })]);
    expect(failed.next_retry_at).toBeNull();
    expect(receiver.received).toEqual([]);
  }, 120_000);
});

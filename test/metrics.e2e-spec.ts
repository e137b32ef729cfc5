/**
 * GET /metrics: Prometheus text for an admin's JWT or the METRICS_TOKEN
 * bearer; the METRICS_PORT listener without auth.
 */
import request from 'supertest';
import { loadSettings } from '../src/config/settings';
import { startMetricsServer } from '../src/metrics/metrics-server';
import { createPortfolioWith, pollUntilFinal, SMALL_BOOK } from './helpers/batch-helpers';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

const TOKEN = 'metrics-token-for-the-e2e-0123';

/** Value of the first sample of `name` with exactly these labels. */
function sample(text: string, name: string, labels = ''): number {
  const prefix = `${name}${labels ? `{${labels}}` : ''} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no sample ${prefix.trim()} in:\n${text}`);
  return Number(line.slice(prefix.length));
}

describe('metrics (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  let user: { token: string };

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN, METRICS_PORT: '0' });
    [admin, user] = await Promise.all([signUpAdmin(t), signUp(t)]);
  });
  afterAll(() => t.close());

  it('answers 401 without a token or with a wrong one, 403 to a user, 200 to an admin and to the metrics token', async () => {
    await request(t.http).get('/metrics').expect(401);
    await request(t.http).get('/metrics').set(bearer('not-the-token')).expect(401);
    const forbidden = await request(t.http).get('/metrics').set(bearer(user.token)).expect(403);
    expect(forbidden.body).toMatchObject({ status_code: 403, error: 'Forbidden' });
    await request(t.http).get('/metrics').set(bearer(admin.token)).expect(200);
    const res = await request(t.http).get('/metrics').set(bearer(TOKEN)).expect(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    await request(t.http).get(`${API}/metrics`).set(bearer(TOKEN)).expect(404); // outside the API prefix
  });

  it('counts runs by status, phase durations, portfolios processed and failures, queue depth', async () => {
    const id = await createPortfolioWith(t, user.token, SMALL_BOOK);
    const run = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(user.token)).send({}).expect(202);
    expect((await pollUntilFinal(t, run.body.poll_url, user.token)).status).toBe('completed');
    const text = (await request(t.http).get('/metrics').set(bearer(TOKEN)).expect(200)).text;
    // well-formed: every sample line is `name{labels} number`, every family has HELP and TYPE
    for (const line of text.trim().split('\n')) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+/);
      else expect(line).toMatch(/^[a-z_:][a-z0-9_:]*(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+-]+|NaN|\+Inf)$/);
    }
    expect(sample(text, 'sigmasight_database_up')).toBe(1);
    expect(sample(text, 'sigmasight_batch_runs', 'status="completed"')).toBe(1);
    expect(sample(text, 'sigmasight_batch_runs', 'status="running"')).toBe(0);
    for (const phase of ['market_data', 'pnl_snapshots', 'risk_analytics']) {
      expect(sample(text, 'sigmasight_batch_phase_duration_seconds_count', `phase="${phase}"`)).toBe(1);
      expect(sample(text, 'sigmasight_batch_phase_duration_seconds_bucket', `phase="${phase}",le="+Inf"`)).toBe(1);
    }
    expect(sample(text, 'sigmasight_batch_portfolios_processed_total', 'status="completed"')).toBe(1);
    expect(sample(text, 'sigmasight_batch_portfolio_failures_total', 'phase="pnl_snapshots"')).toBe(0);
    expect(sample(text, 'sigmasight_batch_queue_depth', 'queue="batch-chunk"')).toBe(0);
    expect(sample(text, 'sigmasight_batch_runs_coordinated')).toBe(0);
    expect(sample(text, 'sigmasight_process_info', 'role="all"')).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('METRICS_PORT: a plain listener with /metrics and /health, no auth', async () => {
    const server = await startMetricsServer(t.app, { ...loadSettings({}), metricsPort: 0, processRole: 'worker' });
    try {
      const metrics = await fetch(`${server!.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('sigmasight_batch_runs{status="completed"}');
      const health = await (await fetch(`${server!.url}/health`)).json();
      expect(health).toMatchObject({ status: 'ok', role: 'worker', jobs_in_flight: [] });
      expect((await fetch(`${server!.url}/other`)).status).toBe(404);
    } finally {
      await server!.close();
    }
  });
});

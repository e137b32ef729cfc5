/**
 * GET /metrics: Prometheus text (prom-client) for an admin's JWT or the
 * METRICS_TOKEN bearer; the METRICS_PORT listener without auth. Batch
 * counters move when run events are recorded, never from the run history.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { BatchEventLog } from '../src/batch/batch-event-log';
import type { BatchRunEventInput } from '../src/batch/batch.types';
import { asBatchRunId, asCalendarDate } from '../src/common/branded';
import { loadSettings } from '../src/config/settings';
import { startMetricsServer } from '../src/metrics/metrics-server';
import { createPortfolioWith, pollUntilFinal, SMALL_BOOK, sql, until } from './helpers/batch-helpers';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

const TOKEN = 'metrics-token-for-the-e2e-0123';

type Labels = Record<string, string>;
interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(l);
      if (!m) throw new Error(`not a sample line: ${l}`);
      const labels: Labels = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

/** The value of the sample `name` with exactly these labels (prom-client orders labels its own way). */
function sample(text: string, name: string, labels: Labels = {}): number {
  const want = Object.entries(labels);
  const hit = parse(text).find((s) => s.name === name && Object.keys(s.labels).length === want.length && want.every(([k, v]) => s.labels[k] === v));
  if (!hit) throw new Error(`no sample ${name}${JSON.stringify(labels)} in:\n${text}`);
  return hit.value;
}

/** Every counter and histogram series of the batch: what must not move without a run. */
function batchCounters(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of parse(text)) {
    if (/^sigmasight_batch_.*(_total|_count|_sum|_bucket)$/.test(s.name) && !s.name.startsWith('sigmasight_batch_jobs_total') && !s.name.startsWith('sigmasight_batch_event_stream_reads')) {
      out[`${s.name}${JSON.stringify(s.labels)}`] = s.value;
    }
  }
  return out;
}

/** How far a series moved between two scrapes (a labelled series appears with its first event: absent before = 0). */
function delta(before: string, after: string, name: string, labels: Labels = {}): number {
  const from = name === 'sigmasight_batch_events_total' && !parse(before).some((s) => s.name === name && s.labels.kind === labels.kind) ? 0 : sample(before, name, labels);
  return sample(after, name, labels) - from;
}

describe('metrics (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  let user: { token: string };
  const scrape = async () => (await request(t.http).get('/metrics').set(bearer(TOKEN)).expect(200)).text;

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

  it('is well-formed Prometheus text with process metrics, gauges and every batch series from the start', async () => {
    const text = await scrape();
    for (const line of text.split('\n').filter(Boolean)) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+/);
      else expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_]+="[^"]*"(,[a-zA-Z_]+="[^"]*")*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/);
    }
    expect(sample(text, 'sigmasight_database_up')).toBe(1);
    expect(sample(text, 'sigmasight_process_info', { role: 'all' })).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'sigmasight_batch_active_runs', { status: 'running' })).toBe(0);
    expect(sample(text, 'sigmasight_batch_queue_depth', { queue: 'batch-chunk' })).toBe(0);
    expect(sample(text, 'sigmasight_batch_runs_coordinated')).toBe(0);
    expect(sample(text, 'sigmasight_batch_event_streams')).toBe(0);
    expect(sample(text, 'sigmasight_batch_runs_total', { status: 'completed' })).toBeGreaterThanOrEqual(0);
    for (const phase of ['market_data', 'pnl_snapshots', 'risk_analytics']) {
      expect(sample(text, 'sigmasight_batch_phase_duration_seconds_count', { phase, outcome: 'completed' })).toBeGreaterThanOrEqual(0);
    }
  });

  it('moves counters and histograms by exactly the recorded events, and a scrape without events moves nothing', async () => {
    // a finished run nobody works (inserted directly): only the events recorded here touch the metrics
    const [run] = await sql(
      t,
      `INSERT INTO batch_runs (status, trigger, triggered_by, calculation_dates, portfolios_total, started_at, finished_at)
       VALUES ('partial', 'cli', 'cli:test', ARRAY['2026-01-02']::date[], 4, now(), now()) RETURNING id`,
    );
    await sql(
      t,
      `INSERT INTO batch_run_portfolios (batch_run_id, portfolio_id, status, failed_phase)
       VALUES ($1, $2, 'completed', NULL), ($1, $3, 'completed', NULL), ($1, $4, 'failed', 'risk_analytics'), ($1, $5, 'pending', NULL)`,
      [run.id, randomUUID(), randomUUID(), randomUUID(), randomUUID()],
    );
    const runId = asBatchRunId(run.id);
    const date = asCalendarDate('2026-01-02');
    const before = await scrape();
    const events: BatchRunEventInput[] = [
      { runId, kind: 'run_started', message: 'started' },
      { runId, kind: 'phase_completed', phase: 'market_data', date, message: 'market data', details: { duration_ms: 300 } },
      { runId, kind: 'chunk_completed', phase: 'pnl_snapshots', date, chunkIndex: 0, message: 'chunk 0' },
      { runId, kind: 'chunk_retried', level: 'warn', phase: 'pnl_snapshots', date, chunkIndex: 1, message: 'retry' },
      { runId, kind: 'chunk_taken_over', level: 'warn', phase: 'pnl_snapshots', date, chunkIndex: 1, message: 'lease lost' },
      { runId, kind: 'chunk_completed', phase: 'pnl_snapshots', date, chunkIndex: 1, message: 'chunk 1' },
      { runId, kind: 'phase_completed', phase: 'pnl_snapshots', date, message: 'snapshots', details: { duration_ms: 1500 } },
      { runId, kind: 'portfolio_failed', level: 'error', phase: 'risk_analytics', date, message: 'one portfolio failed' },
      { runId, kind: 'chunk_failed', level: 'error', phase: 'risk_analytics', date, chunkIndex: 0, message: 'gave up' },
      { runId, kind: 'phase_failed', level: 'error', phase: 'risk_analytics', date, message: 'risk', details: { duration_ms: 20 } },
      { runId, kind: 'run_taken_over', level: 'warn', message: 'coordinator died' },
    ];
    const log = t.app.get(BatchEventLog);
    await log.record(events);
    await log.record({ runId, kind: 'run_finished', message: 'partial', details: { status: 'partial', error: null, portfolios: { completed: 2, failed: 1 }, duration_ms: 2_000 } });
    const after = await scrape();

    expect(delta(before, after, 'sigmasight_batch_runs_total', { status: 'partial' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_runs_total', { status: 'completed' })).toBe(0);
    expect(delta(before, after, 'sigmasight_batch_run_duration_seconds_count', { status: 'partial' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_run_duration_seconds_sum', { status: 'partial' })).toBeCloseTo(2, 9);
    expect(delta(before, after, 'sigmasight_batch_run_duration_seconds_bucket', { status: 'partial', le: '1' })).toBe(0);
    expect(delta(before, after, 'sigmasight_batch_run_duration_seconds_bucket', { status: 'partial', le: '2.5' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_phase_duration_seconds_count', { phase: 'market_data', outcome: 'completed' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_phase_duration_seconds_sum', { phase: 'pnl_snapshots', outcome: 'completed' })).toBeCloseTo(1.5, 9);
    expect(delta(before, after, 'sigmasight_batch_phase_duration_seconds_count', { phase: 'risk_analytics', outcome: 'completed' })).toBe(0);
    expect(delta(before, after, 'sigmasight_batch_phase_duration_seconds_count', { phase: 'risk_analytics', outcome: 'failed' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_chunks_completed_total', { phase: 'pnl_snapshots' })).toBe(2);
    expect(delta(before, after, 'sigmasight_batch_chunk_retries_total')).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_chunk_takeovers_total')).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_chunk_failures_total')).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_run_takeovers_total')).toBe(1);
    // the finished run's results: 2 completed, 1 failed in risk_analytics (the pending one is not a result)
    expect(delta(before, after, 'sigmasight_batch_portfolios_processed_total', { status: 'completed' })).toBe(2);
    expect(delta(before, after, 'sigmasight_batch_portfolios_processed_total', { status: 'failed' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_portfolio_failures_total', { phase: 'risk_analytics' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_portfolio_failures_total', { phase: 'pnl_snapshots' })).toBe(0);
    expect(delta(before, after, 'sigmasight_batch_events_total', { kind: 'chunk_completed', level: 'info' })).toBe(2);

    // nothing happened since: counters and histograms stay exactly where they were
    const again = await scrape();
    expect(batchCounters(again)).toEqual(batchCounters(after));
  });

  it('times HTTP requests by route template, not by raw URL', async () => {
    const id = await createPortfolioWith(t, user.token, SMALL_BOOK);
    await request(t.http).get(`${API}/portfolio/${id}`).set(bearer(user.token)).expect(200);
    await request(t.http).get(`${API}/portfolio/${randomUUID()}`).set(bearer(user.token)).expect(404);
    await request(t.http).get(`${API}/portfolio/${id}`).expect(401);
    const text = await scrape();
    expect(sample(text, 'sigmasight_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/portfolio/:id', status_code: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sigmasight_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/portfolio/:id', status_code: '404' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'sigmasight_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/portfolio/:id', status_code: '401' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id);
  });

  // Fed by the orchestrator's run events (run_finished, phase_completed): needs the engine's event recording.
  it('a real batch: counters grow by exactly the run and portfolios it did; a second scrape moves nothing', async () => {
    const id = await createPortfolioWith(t, user.token, SMALL_BOOK, 'Real run');
    const finished = new Set<string>();
    const off = t.app.get(BatchEventLog).subscribe((e) => e.kind === 'run_finished' && finished.add(e.batch_run_id));
    const before = await scrape();
    const run = await request(t.http).post(`${API}/portfolio/${id}/calculate`).set(bearer(user.token)).send({}).expect(202);
    expect((await pollUntilFinal(t, run.body.poll_url, user.token)).status).toBe('completed');
    await until(() => finished.has(run.body.batch_run_id), 'the run_finished event of the run').finally(off);
    const after = await scrape();
    expect(delta(before, after, 'sigmasight_batch_runs_total', { status: 'completed' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_run_duration_seconds_count', { status: 'completed' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_portfolios_processed_total', { status: 'completed' })).toBe(1);
    expect(delta(before, after, 'sigmasight_batch_portfolios_processed_total', { status: 'failed' })).toBe(0);
    for (const phase of ['market_data', 'pnl_snapshots', 'risk_analytics']) {
      expect(delta(before, after, 'sigmasight_batch_phase_duration_seconds_count', { phase, outcome: 'completed' })).toBe(1);
    }
    expect(sample(after, 'sigmasight_batch_active_runs', { status: 'running' })).toBe(0);
    expect(sample(after, 'sigmasight_batch_queue_depth', { queue: 'batch-chunk' })).toBe(0);
    const again = await scrape();
    expect(batchCounters(again)).toEqual(batchCounters(after));
  });

  it('METRICS_PORT: a plain listener with /metrics and /health, no auth', async () => {
    const server = await startMetricsServer(t.app, { ...loadSettings({}), metricsPort: 0, processRole: 'worker' });
    try {
      const metrics = await fetch(`${server!.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      expect(await metrics.text()).toContain('sigmasight_batch_runs_total{status="completed"}');
      const health = await (await fetch(`${server!.url}/health`)).json();
      // the earlier run's limits job may still be in flight: the list's shape, not its length
      expect(health).toMatchObject({ status: 'ok', role: 'worker', jobs_in_flight: expect.any(Array) });
      for (const job of health.jobs_in_flight) expect(job).toEqual({ queue: expect.any(String), id: expect.any(String), age_ms: expect.any(Number) });
      expect((await fetch(`${server!.url}/other`)).status).toBe(404);
    } finally {
      await server!.close();
    }
  });
});


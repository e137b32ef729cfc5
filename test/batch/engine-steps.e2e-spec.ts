import request from 'supertest';
import { batchTriggerRequest } from '../../src/batch/batch-trigger-request';
import { BatchService } from '../../src/batch/batch.service';
import { BatchEventLog } from '../../src/batch/batch-event-log';
import type { BatchRunEventView } from '../../src/batch/batch.types';
import { asCalendarDate } from '../../src/common/branded';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, sql, stockBook, waitForRun } from '../helpers/batch-helpers';

/**
 * DESIGN §10, event-driven steps: the last chunk of a phase starts the next
 * step (no polling loop); the run's event log records each step with its
 * duration; a phase filter works only that phase for the run's dates. Five
 * portfolios in chunks of two (three chunks per phase), two dates.
 */
describe('event-driven steps and the run event log (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  const heard: BatchRunEventView[] = [];

  beforeAll(async () => {
    t = await startTestApp({ BATCH_CHUNK_SIZE: '2' });
    admin = await signUpAdmin(t);
    const owner = await signUp(t);
    for (const [i, s] of ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG'].entries()) await createPortfolioWith(t, owner.token, stockBook(s, 10 + i), `Book ${i}`);
    t.app.get(BatchEventLog).subscribe((e) => heard.push(e));
  });
  afterAll(() => t.close());

  const kinds = async (id: string) => (await sql(t, `SELECT kind, phase, to_char(calculation_date, 'YYYY-MM-DD') AS d, details FROM batch_run_events WHERE batch_run_id = $1 ORDER BY id`, [id]));

  it('a two-date run steps through its phases by chunk completions; the event log has every step, with durations', async () => {
    const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({ start_date: '2025-06-02', end_date: '2025-06-03' }).expect(202);
    const run = await waitForRun(t, admin.token, res.body.batch_run_id);
    expect(run).toMatchObject({ status: 'completed', portfolios: { total: 5, completed: 5, failed: 0 } });
    const events = await kinds(run.batch_run_id);
    const steps = events.filter((e) => e.kind.startsWith('phase_')).map((e) => `${e.kind}:${e.phase}:${e.d ?? '-'}`);
    expect(steps).toEqual([
      'phase_started:market_data:2025-06-02', 'phase_completed:market_data:2025-06-02',
      'phase_started:pnl_snapshots:2025-06-02', 'phase_completed:pnl_snapshots:2025-06-02',
      'phase_started:risk_analytics:2025-06-02', 'phase_completed:risk_analytics:2025-06-02',
      'phase_started:pnl_snapshots:2025-06-03', 'phase_completed:pnl_snapshots:2025-06-03',
      'phase_started:risk_analytics:2025-06-03', 'phase_completed:risk_analytics:2025-06-03',
    ]);
    for (const e of events.filter((x) => x.kind === 'phase_completed')) expect(typeof e.details.duration_ms).toBe('number');
    // three chunks per portfolio phase and date, each completed once
    const chunks = events.filter((e) => e.kind === 'chunk_completed');
    expect(chunks).toHaveLength(3 * 2 * 2);
    expect(chunks.reduce((n, e) => n + e.details.portfolio_ids, 0)).toBe(5 * 2 * 2);
    const [first, last] = [events[0], events[events.length - 1]];
    expect(first.kind).toBe('run_started');
    expect(last).toMatchObject({ kind: 'run_finished', details: { status: 'completed', error: null, portfolios: { completed: 5, failed: 0 } } });
    expect(typeof last.details.duration_ms).toBe('number');
    // this process's listeners heard the events it recorded
    expect(heard.filter((e) => e.batch_run_id === run.batch_run_id && e.kind === 'run_finished')).toHaveLength(1);
    const [{ chunks: rows, attempts }] = await sql(t, `SELECT count(*)::int AS chunks, max(attempts)::int AS attempts FROM batch_run_chunks WHERE batch_run_id = $1`, [run.batch_run_id]);
    expect({ rows, attempts }).toEqual({ rows: 12, attempts: 1 });
  });

  it('a phase filter works only that phase for the run\'s dates; the others are skipped', async () => {
    const service = t.app.get(BatchService);
    const view = await service.trigger(batchTriggerRequest({ trigger: 'admin', triggeredBy: 'ops@example.com', calculationDate: asCalendarDate('2025-06-03'), onlyPhase: 'risk_analytics' }));
    expect(view.phase_filter).toBe('risk_analytics');
    const run = await waitForRun(t, admin.token, view.batch_run_id);
    expect(run.status).toBe('completed');
    expect(run.phases.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).toEqual(['market_data:skipped', 'pnl_snapshots:skipped', 'risk_analytics:completed']);
    const events = await kinds(run.batch_run_id);
    expect(events.filter((e) => e.kind === 'phase_started').map((e) => e.phase)).toEqual(['risk_analytics']);
    const [{ snapshots, risk }] = await sql(t,
      `SELECT (SELECT count(*) FROM portfolio_snapshots WHERE batch_run_id = $1)::int AS snapshots, (SELECT count(*) FROM portfolio_risk WHERE batch_run_id = $1)::int AS risk`,
      [run.batch_run_id]);
    expect({ snapshots, risk }).toEqual({ snapshots: 0, risk: 5 });
  });
});

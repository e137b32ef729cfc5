/**
 * The operator commands of issue 11 item 4 (schedule, rerun, coverage,
 * events, prune), each run as its own process against the test database,
 * through the same services as the admin routes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { latestCompletedTradingDay } from '../src/market-data/calendar';
import { cli, requireBuiltCli } from './helpers/cli-process';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

/** Each command is its own process that loads the whole app: generous, for a loaded CI machine. */
const SLOW = 300_000;

describe('operator CLI: schedule, rerun, coverage, events, prune (e2e, real processes)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let pg: Client;
  let runId: string;
  const run = (args: string[], env: Record<string, string> = {}) => cli(db, dataDir, args, env);

  beforeAll(async () => {
    requireBuiltCli();
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sigmasight-cli-ops-'));
    const r = await run(['batch', '--date', '2025-06-02'], { SEED_DEMO_DATA: 'true' });
    expect(r.code).toBe(0);
    runId = /batch run ([0-9a-f-]{36}): COMPLETED/.exec(r.stdout)![1];
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, SLOW);
  afterAll(async () => {
    await pg?.end();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rerun re-runs one phase for the run’s date and portfolios, waits and summarizes (exit 0)', async () => {
    const r = await run(['rerun', runId, '--phase', 'risk_analytics']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`re-running risk_analytics of run ${runId}: run `);
    expect(r.stdout).toContain(': COMPLETED');
    expect(r.stdout).toMatch(/market_data\s+skipped/);
    expect(r.stdout).toMatch(/pnl_snapshots\s+skipped/);
    expect(r.stdout).toMatch(/risk_analytics\s+completed\s+3\/3/);
    const rows = await pg.query(`SELECT trigger, phase_filter, rerun_of FROM batch_runs WHERE rerun_of = $1`, [runId]);
    expect(rows.rows).toEqual([{ trigger: 'cli', phase_filter: 'risk_analytics', rerun_of: runId }]);
  }, SLOW);

  it('rerun refuses bad usage (exit 2) and names an unknown run (exit 1)', async () => {
    expect((await run(['rerun', runId, '--phase', 'everything'])).code).toBe(2);
    expect((await run(['rerun', 'not-a-uuid', '--phase', 'risk_analytics'])).code).toBe(2);
    const unknown = await run(['rerun', '00000000-0000-4000-8000-000000000000', '--phase', 'risk_analytics']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Batch run not found');
  }, SLOW);

  it('events prints the run’s log as text lines or JSON lines', async () => {
    await pg.query(`INSERT INTO batch_run_events (batch_run_id, kind, level, phase, chunk_index, message) VALUES ($1, 'chunk_retried', 'warn', 'pnl_snapshots', 0, 'chunk 0 retried')`, [runId]);
    const text = await run(['events', runId]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Z WARN  chunk_retried \[pnl_snapshots chunk 0\] chunk 0 retried\n/);
    const json = await run(['events', runId, '--format', 'json']);
    expect(json.code).toBe(0);
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toContainEqual(expect.objectContaining({ batch_run_id: runId, kind: 'chunk_retried', level: 'warn', chunk_index: 0 }));
    expect((await run(['events', runId, '--format', 'xml'])).code).toBe(2);
  }, SLOW);

  it('coverage: exit 0 when every held symbol has a close on the date, 1 listing what lacks one, 2 for a bad date', async () => {
    const ok = await run(['coverage', '--date', '2025-06-02']);
    expect(ok.stdout).toMatch(/^coverage on 2025-06-02: \d+ symbol\(s\) checked, 0 missing, 0 stale/);
    expect(ok.code).toBe(0);
    await pg.query(`DELETE FROM daily_prices WHERE symbol = 'SPY' AND price_date = '2025-06-02'`);
    const gap = await run(['coverage', '--date', '2025-06-02']);
    expect(gap.code).toBe(1);
    expect(gap.stdout).toMatch(/1 missing, 0 stale/);
    expect(gap.stdout).toMatch(/missing:\n {2}SPY\s+last close 2025-05-30 \(factor ETF\)/);
    const weekend = await run(['coverage', '--date', '2025-06-21']);
    expect(weekend.code).toBe(2);
    expect(weekend.stderr).toContain('not a trading day (Saturday)');
  }, SLOW);

  it('schedule: status, pause (persisted for the next process), resume with the cron off', async () => {
    const status = await run(['schedule']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^schedule: active\ncron: 30 18 \* \* 1-5 America\/New_York\nnext fire: \d{4}-\d\d-\d\dT/);
    const paused = await run(['schedule', 'pause']);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^schedule: PAUSED since \S+ by cli:/);
    expect((await run(['schedule', 'status'])).stdout).toMatch(/^schedule: PAUSED/);
    // with the cron off, resuming catches nothing up
    await pg.query(`UPDATE batch_schedule SET skipped_dates = ARRAY[$1::date]`, [latestCompletedTradingDay()]);
    const resumed = await run(['schedule', 'resume'], { BATCH_CRON_ENABLED: 'false' });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^schedule: active \(BATCH_CRON_ENABLED=false: the cron does not fire\)/);
    expect(resumed.stdout).not.toContain('catching up');
    expect((await pg.query(`SELECT count(*)::int AS n FROM batch_runs WHERE trigger = 'schedule'`)).rows[0].n).toBe(0);
  }, SLOW);

  it('schedule resume after a skipped firing catches the date up and waits for that run', async () => {
    await pg.query(`UPDATE batch_schedule SET paused = true, paused_at = now(), paused_by = 'test'`);
    const due = latestCompletedTradingDay();
    await pg.query(`UPDATE batch_schedule SET skipped_dates = ARRAY[$1::date]`, [due]);
    const r = await run(['schedule', 'resume']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`skipped while paused: ${due}`);
    expect(r.stdout).toMatch(/catching up: run [0-9a-f-]{36}/);
    expect(r.stdout).toContain(': COMPLETED');
    const rows = await pg.query(`SELECT status, to_char(scheduled_date, 'YYYY-MM-DD') AS d FROM batch_runs WHERE trigger = 'schedule'`);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].status).toBe('completed');
    expect(rows.rows[0].d >= due).toBe(true);
  }, SLOW);

  it('prune deletes runs finished longer ago than --days (default BATCH_RETENTION_DAYS); bad usage is exit 2', async () => {
    const none = await run(['prune', '--days', '1']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^pruned 0 run\(s\) and 0 event\(s\) finished before /);
    await pg.query(`UPDATE batch_runs SET finished_at = now() - interval '10 days' WHERE id = $1`, [runId]);
    const one = await run(['prune', '--days', '5']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^pruned 1 run\(s\) and [1-9]\d* event\(s\)/);
    expect((await pg.query(`SELECT 1 FROM batch_runs WHERE id = $1`, [runId])).rows).toEqual([]);
    expect((await run(['prune'], { BATCH_RETENTION_DAYS: '0' })).stdout).toContain('nothing pruned');
    expect((await run(['prune', '--days', '0'])).code).toBe(2);
    expect((await run(['prune'], { BATCH_RETENTION_DAYS: '-1' })).code).toBe(2);
  }, SLOW);
});

/**
 * Three instances started together on one database, their nightly cron set
 * to fire at the same second: exactly one scheduled run for the trading date.
 */
import { AppProcess, cleanUpWorkDir, createFaultDatabase, FaultDb, insertUser, killAll, log, migrate, seedBook, sleep, startProcess, waitFor } from './harness';

const PORTFOLIOS = 300;
/** How far ahead the firing second is set: time for three cold starts on two cores. */
const LEAD_MS = 15_000;

describe('three instances, one cron (fault)', () => {
  let db: FaultDb;
  let instances: AppProcess[] = [];

  beforeAll(async () => {
    db = await createFaultDatabase('cron');
    await migrate(db);
    await seedBook(db, await insertUser(db, 'cron-owner@fault.example.com'), PORTFOLIOS, 3);
  });

  afterAll(async () => {
    await killAll();
    await db?.drop();
    cleanUpWorkDir();
  });

  it('fires in all three at the same second and creates exactly one scheduled run for the date', async () => {
    // a six-field cron firing once a minute at one second, far enough ahead for all three to be up by then
    const fireAt = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
    const cron = `${new Date(fireAt).getUTCSeconds()} * * * * *`;
    // cold starts at the same moment too: migrations and queue set-up are serialised by advisory locks
    instances = await Promise.all(
      [1, 2, 3].map((i) => startProcess({ name: `cron${i}`, role: 'all', db, env: { BATCH_CRON_ENABLED: 'true', BATCH_CRON: cron, LOG_LEVEL: 'info' } })),
    );
    const upBy = fireAt - Date.now();
    expect(upBy).toBeGreaterThan(0); // all three were up before the firing second
    const run = await waitFor('the scheduled run to finish', async () => {
      const [r] = await db.query(`SELECT id, status, scheduled_date::text AS d, portfolios_total FROM batch_runs WHERE trigger = 'schedule' AND status NOT IN ('queued','running')`);
      return r;
    }, LEAD_MS + 60_000, 200);
    await sleep(1000);
    const runs = await db.query(`SELECT id, status, scheduled_date::text AS d, trigger FROM batch_runs`);
    const lines = instances.map((p) => p.logs().split('\n'));
    const started = lines.map((ls) => ls.filter((l) => /scheduled run [0-9a-f-]{36} for/.test(l)).length);
    const turnedAway = lines.map((ls) => ls.filter((l) => /scheduled run for \S+ not started/.test(l)).length);
    log(
      `cron "${cron}": all three up ${upBy} ms before the second; scheduled runs in the database: ${JSON.stringify(runs)}; ` +
        `per instance, runs started: ${started.join(', ')}; firings turned away (conflict): ${turnedAway.join(', ')}`,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: run.id, trigger: 'schedule', d: run.d, status: 'completed' });
    expect(run.portfolios_total).toBe(PORTFOLIOS);
    // all three fired: one started the run, the database turned the other two away
    expect(started.reduce((a, b) => a + b, 0)).toBe(1);
    expect(turnedAway.reduce((a, b) => a + b, 0)).toBe(2);
    expect(lines.flat().filter((l) => l.includes('failed to start'))).toEqual([]);
    for (const p of instances) expect(p.isAlive()).toBe(true);
  });
});

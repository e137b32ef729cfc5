import request from 'supertest';
import { MarketDataPhase } from '../../src/batch/phases/market-data.phase';
import { RiskPhase } from '../../src/batch/phases/risk.phase';
import { SnapshotPhase } from '../../src/batch/phases/snapshot.phase';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from '../helpers/test-app';
import { createPortfolioWith, failWith, sql, stockBook, waitForRun } from '../helpers/batch-helpers';

/**
 * DESIGN §4 "always finished": an exception escaping a phase (not one
 * portfolio's error, the whole phase) fails the run with the phase named,
 * leaves nothing active, and the next trigger is accepted. The exception is
 * injected by replacing the phase object's method on the running app.
 * BATCH_CHUNK_SIZE=1: a one-portfolio run works its chunk in the
 * coordinator, an all-portfolios run (2 portfolios) through pg-boss jobs.
 */
describe('a phase throwing (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  let owner: { token: string };
  let p1: string;

  beforeAll(async () => {
    t = await startTestApp({ BATCH_CHUNK_SIZE: '1' });
    admin = await signUpAdmin(t);
    owner = await signUp(t);
    p1 = await createPortfolioWith(t, owner.token, stockBook('AAPL'), 'One');
    await createPortfolioWith(t, owner.token, stockBook('MSFT'), 'Two');
  });
  afterAll(() => t.close());

  const phases = [
    { phase: 'market_data', target: () => t.app.get(MarketDataPhase) as object, method: 'process' },
    { phase: 'pnl_snapshots', target: () => t.app.get(SnapshotPhase) as object, method: 'process' },
    { phase: 'risk_analytics', target: () => t.app.get(RiskPhase) as object, method: 'process' },
  ] as const;

  async function expectFailedThenRecovers(phase: string, start: () => Promise<request.Response>, restore: () => void): Promise<void> {
    let restored = false;
    try {
      const res = await start();
      expect(res.status).toBe(202);
      const run = await waitForRun(t, admin.token, res.body.batch_run_id, 45_000);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(new RegExp(`^${phase}: .*injected ${phase} failure`));
      const failed = run.phases.find((p: { name: string }) => p.name === phase);
      expect(failed.status).toBe('failed');
      expect(failed.finished_at).not.toBeNull();
      const names = run.phases.map((p: { name: string }) => p.name);
      for (const later of run.phases.slice(names.indexOf(phase) + 1)) expect(later.status).toBe('pending');
      expect(run.finished_at).not.toBeNull();
      expect(run.current_phase).toBeNull();
      if (phase !== 'market_data' && run.portfolio_id === null) {
        // over jobs: the chunk was retried (pg-boss retryLimit 3) and then marked failed, which failed the phase at once
        const chunks = await sql(t, `SELECT status, attempts FROM batch_run_chunks WHERE batch_run_id = $1 AND phase = $2`, [run.batch_run_id, phase]);
        expect(chunks).toContainEqual({ status: 'failed', attempts: 4 });
      }

      // the tracker is clear: nothing queued or running, in the API and in the table
      const current = await request(t.http).get(`${API}/admin/batch/current`).set(bearer(admin.token)).expect(200);
      expect(current.body.runs).toEqual([]);
      expect(await sql(t, `SELECT id FROM batch_runs WHERE status IN ('queued','running')`)).toEqual([]);

      restore();
      restored = true;
      const next = await start();
      expect(next.status).toBe(202);
      expect((await waitForRun(t, admin.token, next.body.batch_run_id)).status).toBe('completed');
    } finally {
      if (!restored) restore();
    }
  }

  describe.each(phases)('$phase', ({ phase, target, method }) => {
    it('one-portfolio user run: failed naming the phase; tracker clear; next trigger accepted', async () => {
      const restore = failWith(target(), method as never, `injected ${phase} failure`);
      await expectFailedThenRecovers(phase, () => request(t.http).post(`${API}/portfolio/${p1}/calculate`).set(bearer(owner.token)).send({}), restore);
    });

    it('all-portfolios run over job chunks: failed naming the phase; tracker clear; next trigger accepted', async () => {
      const restore = failWith(target(), method as never, `injected ${phase} failure`);
      await expectFailedThenRecovers(phase, () => request(t.http).post(`${API}/admin/batch/run`).set(bearer(admin.token)).send({}), restore);
    });
  });
});

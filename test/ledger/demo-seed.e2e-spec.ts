import request from 'supertest';
import { DEMO_USER } from '../../src/database/demo-data';
import { API, bearer, startTestApp, TestApp } from '../helpers/test-app';

/** The demo book is written as ledger transactions: deposits and TRANSFER_INs, read back as positions and cash. */
describe('demo seed on the ledger (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO_DATA: 'true' });
  });
  afterAll(() => t.close());

  it('every demo portfolio has its cash as a DEPOSIT and each position as a TRANSFER_IN', async () => {
    const login = await request(t.http).post(`${API}/auth/login`).send({ email: DEMO_USER.email, password: DEMO_USER.password }).expect(200);
    const token = login.body.access_token;
    const portfolios = (await request(t.http).get(`${API}/portfolio`).set(bearer(token)).expect(200)).body;
    expect(portfolios.length).toBeGreaterThan(0);
    for (const p of portfolios) {
      const txs = (await request(t.http).get(`${API}/portfolio/${p.id}/transactions?limit=1000`).set(bearer(token)).expect(200)).body.transactions;
      const deposits = txs.filter((x: { type: string }) => x.type === 'DEPOSIT').reduce((s: number, x: { amount: number }) => s + x.amount, 0);
      expect(p.cash_balance).toBeCloseTo(deposits, 6);
      expect(p.position_count).toBe(txs.filter((x: { type: string }) => x.type === 'TRANSFER_IN').length);
      const positions = (await request(t.http).get(`${API}/portfolio/${p.id}/positions`).set(bearer(token)).expect(200)).body;
      expect(positions).toHaveLength(p.position_count);
    }
  });
});

import request from 'supertest';
import { API, bearer, TestApp } from './test-app';

const FINAL = ['completed', 'partial', 'failed', 'cancelled'];

/** Polls a status URL until the run is final (or the time is up). */
export async function pollUntilFinal(t: TestApp, url: string, token: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(t.http).get(url).set(bearer(token)).expect(200);
    if (FINAL.includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`run still ${res.body.status} after ${timeoutMs} ms: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function createPortfolioWith(t: TestApp, token: string, csv: string, name = 'Book'): Promise<string> {
  const p = await request(t.http).post(`${API}/portfolio`).set(bearer(token)).send({ name, cash_balance: 10000 }).expect(201);
  await request(t.http).post(`${API}/portfolio/${p.body.id}/import`).set(bearer(token)).set('content-type', 'text/csv').send(csv).expect(201);
  return p.body.id;
}

export const SMALL_BOOK = [
  'symbol,quantity,entry_price,entry_date,position_type,underlying_symbol,strike_price,expiration_date',
  'AAPL,100,150,2024-01-02,,,,',
  'MSFT,-20,300,2024-01-02,,,,',
  'AAPL270115C00200000,2,10,2024-06-03,LC,AAPL,200,2027-01-15',
].join('\n');

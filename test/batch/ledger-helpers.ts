import request from 'supertest';
import type { CalendarDate } from '../../src/common/branded';
import { MarketDataService } from '../../src/market-data/market-data.service';
import { waitForRun } from '../helpers/batch-helpers';
import { API, bearer, TestApp } from '../helpers/test-app';

/** One transaction body of POST /portfolio/{id}/transactions. */
export type TxBody = Record<string, string | number>;

/** A portfolio with no opening cash (its ledger is only what the test books). */
export async function newPortfolio(t: TestApp, token: string, name: string): Promise<string> {
  const res = await request(t.http).post(`${API}/portfolio`).set(bearer(token)).send({ name }).expect(201);
  return res.body.id as string;
}

/** Books the transactions in order, each answered 201. */
export async function book(t: TestApp, token: string, portfolioId: string, txs: readonly TxBody[]): Promise<void> {
  for (const tx of txs) {
    const res = await request(t.http).post(`${API}/portfolio/${portfolioId}/transactions`).set(bearer(token)).send(tx);
    if (res.status !== 201) throw new Error(`booking ${JSON.stringify(tx)}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Stores the synthetic provider's closes (a trade needs its instrument's price), as the batch's market-data phase would. */
export async function preloadPrices(t: TestApp, symbols: string[], from: string, to: string): Promise<void> {
  await t.app.get(MarketDataService).ensurePrices(symbols, from as CalendarDate, to as CalendarDate);
}

/** The owner's calculate of one date, waited for; returns the run's final view. */
export async function calculate(t: TestApp, token: string, adminToken: string, portfolioId: string, date: string): Promise<Record<string, any>> {
  const res = await request(t.http).post(`${API}/portfolio/${portfolioId}/calculate`).set(bearer(token)).send({ calculation_date: date }).expect(202);
  return waitForRun(t, adminToken, res.body.batch_run_id, 60_000);
}

/** An admin backfill of one portfolio, waited for. */
export async function backfill(t: TestApp, adminToken: string, portfolioId: string, from: string, to: string): Promise<Record<string, any>> {
  const res = await request(t.http).post(`${API}/admin/batch/run`).set(bearer(adminToken)).send({ portfolio_id: portfolioId, start_date: from, end_date: to }).expect(202);
  return waitForRun(t, adminToken, res.body.batch_run_id, 60_000);
}

export async function snapshots(t: TestApp, token: string, portfolioId: string): Promise<Array<Record<string, any>>> {
  const res = await request(t.http).get(`${API}/portfolio/${portfolioId}/snapshots`).set(bearer(token)).expect(200);
  return res.body;
}

export async function analytics(t: TestApp, token: string, portfolioId: string, date?: string): Promise<Record<string, any>> {
  const res = await request(t.http).get(`${API}/portfolio/${portfolioId}/analytics${date ? `?date=${date}` : ''}`).set(bearer(token)).expect(200);
  return res.body;
}

export async function transactions(t: TestApp, token: string, portfolioId: string, query = ''): Promise<Array<Record<string, any>>> {
  const res = await request(t.http).get(`${API}/portfolio/${portfolioId}/transactions?limit=1000${query}`).set(bearer(token)).expect(200);
  return res.body.transactions;
}

/** A snapshot without what differs between two portfolios booked alike (ids) or between two runs (nothing else may). */
export function comparable(s: Record<string, any>): Record<string, any> {
  const { portfolio_id: _p, ...rest } = s;
  return rest;
}

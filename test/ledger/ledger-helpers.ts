import request from 'supertest';
import { API, bearer, TestApp } from '../helpers/test-app';

export type Body = Record<string, unknown>;

/** Ledger requests of one user on one test app. */
export function ledgerClient(t: TestApp, token: string) {
  const tx = (pid: string, id?: string) => `${API}/portfolio/${pid}/transactions${id ? `/${id}` : ''}`;
  return {
    token,
    newPortfolio: async (body: Body = {}) => (await request(t.http).post(`${API}/portfolio`).set(bearer(token)).send({ name: 'Ledger', ...body }).expect(201)).body.id as string,
    post: (pid: string, body: Body) => request(t.http).post(tx(pid)).set(bearer(token)).send(body),
    list: (pid: string, query = '') => request(t.http).get(`${tx(pid)}${query}`).set(bearer(token)),
    patch: (pid: string, id: string, body: Body) => request(t.http).patch(tx(pid, id)).set(bearer(token)).send(body),
    del: (pid: string, id: string) => request(t.http).delete(tx(pid, id)).set(bearer(token)),
    importCsv: (pid: string, csv: string) => request(t.http).post(`${tx(pid)}/import`).set(bearer(token)).set('content-type', 'text/csv').send(csv),
    lots: (pid: string) => request(t.http).get(`${API}/portfolio/${pid}/lots`).set(bearer(token)),
    realized: (pid: string, query = '') => request(t.http).get(`${API}/portfolio/${pid}/realized${query}`).set(bearer(token)),
    portfolio: (pid: string) => request(t.http).get(`${API}/portfolio/${pid}`).set(bearer(token)),
    positions: (pid: string) => request(t.http).get(`${API}/portfolio/${pid}/positions`).set(bearer(token)),
    addPosition: (pid: string, body: Body) => request(t.http).post(`${API}/portfolio/${pid}/positions`).set(bearer(token)).send(body),
    patchPortfolio: (pid: string, body: Body) => request(t.http).patch(`${API}/portfolio/${pid}`).set(bearer(token)).send(body),
  };
}

export const deposit = (date: string, amount: number): Body => ({ type: 'DEPOSIT', date, amount });
export const trade = (type: string, date: string, symbol: string, quantity: number, price: number, fees = 0): Body => ({ type, date, symbol, quantity, price, fees });

/** An ISO date `days` from today (UTC). */
export function daysFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

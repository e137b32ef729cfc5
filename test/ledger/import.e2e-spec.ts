import { readFileSync } from 'node:fs';
import request from 'supertest';
import { sql } from '../helpers/batch-helpers';
import { API, bearer, signUp, startTestApp, TestApp } from '../helpers/test-app';
import { daysFromToday, ledgerClient } from './ledger-helpers';

const HEADER = 'type,date,symbol,quantity,price,fees,amount';
const count = async (t: TestApp, pid: string) => (await sql(t, `SELECT count(*)::int AS n FROM transactions WHERE portfolio_id = $1`, [pid]))[0].n;

describe('POST /portfolio/:id/transactions/import (e2e)', () => {
  let t: TestApp;
  let c: ReturnType<typeof ledgerClient>;
  beforeAll(async () => {
    t = await startTestApp();
    c = ledgerClient(t, (await signUp(t)).token);
  });
  afterAll(() => t.close());

  it('samples/transactions.csv (the README walkthrough) imports whole', async () => {
    const pid = await c.newPortfolio();
    const res = await c.importCsv(pid, readFileSync('samples/transactions.csv', 'utf8')).expect(201);
    expect(res.body.imported).toBe(12);
    expect(res.body.transactions).toHaveLength(12);
    expect(res.body.transactions.find((x: { symbol: string }) => x.symbol === 'AAPL250620C00210000'))
      .toMatchObject({ position_type: 'LC', option_type: 'CALL', strike_price: 210, expiration_date: '2025-06-20', implied_volatility: 0.28 });
    const realized = (await c.realized(pid, '?to=2025-03-31').expect(200)).body;
    // 60 AAPL of the 2025-01-06 lot (185.51 a share with its fee) sold at 201.25 less 1.50; 5 TSLA covered at 260 + 1 against 395 − 0.05
    expect(realized.total_realized_pnl).toBeCloseTo(60 * 201.25 - 1.5 - 60 * 185.51 + (5 * (395 - 0.05) - (5 * 260 + 1)), 6);
  });

  it('a UTF-8 BOM, CRLF line ends and # comments; multipart field "file" too', async () => {
    const csv = `\uFEFF# broker export\r\n${HEADER}\r\nDEPOSIT,2025-01-02,,,,,1000\r\n\r\n# buys\r\nBUY,2025-01-06,AAPL,2,180,0,\r\n`;
    const pid = await c.newPortfolio();
    expect((await c.importCsv(pid, csv).expect(201)).body.imported).toBe(2);
    const other = await c.newPortfolio();
    const res = await request(t.http).post(`${API}/portfolio/${other}/transactions/import`).set(bearer(c.token))
      .attach('file', Buffer.from(csv), { filename: 'ledger.csv', contentType: 'text/csv' }).expect(201);
    expect(res.body.transactions.map((x: { type: string }) => x.type)).toEqual(['DEPOSIT', 'BUY']);
  });

  it('every bad row is reported with row, line and column; nothing is stored', async () => {
    const pid = await c.newPortfolio();
    const csv = [HEADER, '# comment', 'DEPOSIT,2025-01-02,,,,,1000', 'BUY,2025-01-06,AAPL,abc,180,0,', `DEPOSIT,${daysFromToday(2)},,,,,5`,
      'SPLIT,2025-01-06,AAPL,2,,,', 'BUY,2025-01-06,AAPL,1,,0,'].join('\n');
    const res = await c.importCsv(pid, csv).expect(400);
    expect(res.body.detail).toBe('4 row(s) have errors; nothing was imported');
    expect(res.body.errors).toEqual([
      { row: 2, line: 4, column: 'quantity', message: expect.stringContaining('not a number') },
      { row: 3, line: 5, column: 'date', message: expect.stringContaining('future') },
      { row: 4, line: 6, column: 'type', message: expect.stringContaining('written by the batch') },
      { row: 5, line: 7, column: 'price', message: 'is required' },
    ]);
    expect(await count(t, pid)).toBe(0);
  });

  it('a row that sells more than is held names its row and the shortfall; nothing is stored', async () => {
    const pid = await c.newPortfolio();
    const csv = [HEADER, 'BUY,2025-01-06,AAPL,10,180,0,', 'SELL,2025-02-03,AAPL,4,190,0,', 'SELL,2025-03-03,AAPL,7,195,0,'].join('\n');
    const res = await c.importCsv(pid, csv).expect(400);
    expect(res.body).toMatchObject({ shortfall: 1, errors: [{ row: 3, line: 4, column: 'quantity', message: expect.stringContaining('shortfall 1') }] });
    expect(await count(t, pid)).toBe(0);
  });

  it('a row on a symbol without a price is refused; nothing is stored', async () => {
    const pid = await c.newPortfolio();
    const res = await c.importCsv(pid, [HEADER, 'DEPOSIT,1999-05-03,,,,,100', 'BUY,1999-06-01,AAPL,1,10,0,'].join('\n')).expect(400);
    expect(res.body.errors).toEqual([{ row: 2, line: 3, column: 'date', message: expect.stringContaining('no price') }]);
    expect(await count(t, pid)).toBe(0);
  });

  it.each([
    ['a missing required column', 'type,symbol\nDEPOSIT,\n', /Missing required column\(s\): date/],
    ['an unknown column', 'type,date,memo\nDEPOSIT,2025-01-02,x\n', /Unknown column\(s\): memo/],
    ['no data rows', `${HEADER}\n`, /no data rows/],
    ['an unclosed quote', `${HEADER}\n"DEPOSIT,2025-01-02\n`, /Malformed CSV/],
  ])('400 for %s', async (_case, csv, detail) => {
    const pid = await c.newPortfolio();
    expect((await c.importCsv(pid, csv).expect(400)).body.detail).toMatch(detail);
    expect(await count(t, pid)).toBe(0);
  });

  it('400 without a CSV body; 404 for another user (checked first)', async () => {
    const pid = await c.newPortfolio();
    await request(t.http).post(`${API}/portfolio/${pid}/transactions/import`).set(bearer(c.token)).send({ csv: HEADER }).expect(400);
    const bob = ledgerClient(t, (await signUp(t)).token);
    expect((await bob.importCsv(pid, `${HEADER}\nDEPOSIT,2025-01-02,,,,,1\n`).expect(404)).body.detail).toBe('Portfolio not found');
    expect(await count(t, pid)).toBe(0);
  });
});

import { readFileSync } from 'node:fs';
import request from 'supertest';
import { bigCsv, CSV_HEADER, expectErrorShape } from './fixtures/positions';
import { API, bearer, signUp, startTestApp, TestApp } from './helpers/test-app';

type User = { token: string; id: string };
const TEN_MB = 10 * 1024 * 1024;

describe('POST /portfolio/:id/import (e2e)', () => {
  let t: TestApp;
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([signUp(t), signUp(t)]);
  });
  afterAll(() => t.close());

  const newPortfolio = async (u = alice) =>
    (await request(t.http).post(`${API}/portfolio`).set(bearer(u.token)).send({ name: 'Import target' }).expect(201)).body.id as string;
  const importCsv = (pid: string, csv: string, query = '', u = alice) =>
    request(t.http).post(`${API}/portfolio/${pid}/import${query}`).set(bearer(u.token)).set('content-type', 'text/csv').send(csv);
  const importFile = (pid: string, csv: string | Buffer, field = 'file') =>
    request(t.http)
      .post(`${API}/portfolio/${pid}/import`)
      .set(bearer(alice.token))
      .attach(field, Buffer.isBuffer(csv) ? csv : Buffer.from(csv), { filename: 'positions.csv', contentType: 'text/csv' });
  const positions = async (pid: string, u = alice) =>
    (await request(t.http).get(`${API}/portfolio/${pid}/positions`).set(bearer(u.token)).expect(200)).body as Array<Record<string, unknown>>;

  const threeRows = [CSV_HEADER, 'AAPL,100,187.50,2024-03-01', 'TSLA,-50,240.10,2024-06-03', 'msft,25,410,2025-01-10'].join('\n');

  describe('accepted input', () => {
    it('text/csv body → 201 {imported, positions}, types inferred from the sign', async () => {
      const pid = await newPortfolio();
      const res = await importCsv(pid, threeRows).expect(201);
      expect(res.body.imported).toBe(3);
      expect(res.body.mode).toBe('append');
      expect(res.body.positions.map((p: Record<string, unknown>) => [p.symbol, p.quantity, p.position_type])).toEqual([
        ['AAPL', 100, 'LONG'],
        ['TSLA', -50, 'SHORT'],
        ['MSFT', 25, 'LONG'],
      ]);
      expect(await positions(pid)).toHaveLength(3);
    });

    it('samples/positions.csv (the README example) imports as is', async () => {
      const pid = await newPortfolio();
      const res = await importCsv(pid, readFileSync('samples/positions.csv', 'utf8')).expect(201);
      expect(res.body.imported).toBe(15);
      const types = new Set(res.body.positions.map((p: { position_type: string }) => p.position_type));
      expect([...types].sort()).toEqual(['LC', 'LONG', 'SHORT', 'SP']);
    });

    it('multipart field "file" → 201', async () => {
      const pid = await newPortfolio();
      const res = await importFile(pid, threeRows).expect(201);
      expect(res.body.imported).toBe(3);
      expect(await positions(pid)).toHaveLength(3);
    });

    it('multipart with another field name → 400', async () => {
      const pid = await newPortfolio();
      const res = await importFile(pid, threeRows, 'upload').expect(400);
      expectErrorShape(res.body, 400);
      expect(await positions(pid)).toHaveLength(0);
    });

    it('header names in any case and padded with spaces', async () => {
      const pid = await newPortfolio();
      const csv = 'Symbol, QUANTITY ,Entry_Price,ENTRY_DATE\nAAPL,10,150,2024-01-02\n';
      expect((await importCsv(pid, csv).expect(201)).body.imported).toBe(1);
    });

    it('a UTF-8 BOM, CRLF line ends, # comment lines and blank lines', async () => {
      const pid = await newPortfolio();
      const csv = '\uFEFF# exported from the broker\r\n' + CSV_HEADER + '\r\n# longs\r\nAAPL,10,150,2024-01-02\r\n\r\n# shorts\r\nTSLA,-5,200,2024-01-03\r\n';
      const res = await importCsv(pid, csv).expect(201);
      expect(res.body.positions.map((p: { symbol: string }) => p.symbol)).toEqual(['AAPL', 'TSLA']);
      const fileRes = await importFile(await newPortfolio(), Buffer.from(csv, 'utf8')).expect(201);
      expect(fileRes.body.imported).toBe(2);
    });

    it('options from option_type or position_type, with every optional column', async () => {
      const pid = await newPortfolio();
      const csv = [
        'symbol,quantity,entry_price,entry_date,position_type,underlying_symbol,strike_price,expiration_date,option_type,implied_volatility',
        'AAPL270617C00200000,2,12.40,2025-01-15,,AAPL,200,2027-06-17,CALL,0.28',
        'SPY270115P00450000,-3,9.75,2025-02-03,,SPY,450,2027-01-15,put,',
        'QQQ270115C00500000,-1,20,2025-02-03,SC,QQQ,500,2027-01-15,,',
        'IBM,40,160,2024-05-01,LONG,,,,,',
      ].join('\n');
      const res = await importCsv(pid, csv).expect(201);
      expect(res.body.positions.map((p: Record<string, unknown>) => [p.position_type, p.multiplier, p.implied_volatility])).toEqual([
        ['LC', 100, 0.28],
        ['SP', 100, null],
        ['SC', 100, null],
        ['LONG', 1, null],
      ]);
    });
  });

  describe('append and replace', () => {
    it('appends by default and with ?mode=append; ?mode=replace swaps the whole set', async () => {
      const pid = await newPortfolio();
      await importCsv(pid, threeRows).expect(201);
      await importCsv(pid, threeRows, '?mode=append').expect(201);
      const before = await positions(pid);
      // ledger (DESIGN §8): rows of one holding sum into one position (each row is a TRANSFER_IN into it)
      expect(before.map((p) => [p.symbol, p.quantity])).toEqual([['AAPL', 200], ['MSFT', 50], ['TSLA', -100]]);
      const res = await importCsv(pid, `${CSV_HEADER}\nNVDA,7,480,2024-02-02\n`, '?mode=replace').expect(201);
      expect(res.body).toMatchObject({ imported: 1, mode: 'replace' });
      const after = await positions(pid);
      expect(after.map((p) => p.symbol)).toEqual(['NVDA']);
      expect(after.some((p) => before.some((b) => b.id === p.id))).toBe(false);
    });

    it('a failed replace keeps the current set', async () => {
      const pid = await newPortfolio();
      await importCsv(pid, threeRows).expect(201);
      await importCsv(pid, `${CSV_HEADER}\nNVDA,0,480,2024-02-02\n`, '?mode=replace').expect(400);
      expect(await positions(pid)).toHaveLength(3);
    });

    it('?mode=bogus → 400 naming mode', async () => {
      const pid = await newPortfolio();
      const res = await importCsv(pid, threeRows, '?mode=bogus').expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.errors).toEqual([{ field: 'mode', message: expect.any(String) }]);
      expect(await positions(pid)).toHaveLength(0);
    });
  });

  describe('limits: 10,000 rows and 10 MB', () => {
    it('a 10,000-row file is imported whole', async () => {
      const pid = await newPortfolio();
      const res = await importCsv(pid, bigCsv(10_000)).expect(201);
      expect(res.body.imported).toBe(10_000);
      expect(await positions(pid)).toHaveLength(10_000);
    });

    it('a 10,000-row file with errors in rows 2, 500 and 9,999 → 400 listing all three, nothing stored', async () => {
      const pid = await newPortfolio();
      const res = await importCsv(pid, bigCsv(10_000, [2, 500, 9_999])).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.detail).toMatch(/3 row\(s\)/);
      expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([2, 500, 9_999]);
      for (const e of res.body.errors) expect(e).toMatchObject({ column: 'quantity', line: e.row + 1, message: expect.any(String) });
      expect(await positions(pid)).toHaveLength(0);
    });

    it('10,001 rows → 400 Too many rows', async () => {
      const pid = await newPortfolio();
      const res = await importCsv(pid, bigCsv(10_001)).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.detail).toMatch(/^Too many rows/);
      expect(await positions(pid)).toHaveLength(0);
    });

    it('a text/csv body just under 10 MB is accepted', async () => {
      const pid = await newPortfolio();
      const comments = `# ${'x'.repeat(1020)}\n`.repeat(Math.floor((TEN_MB - 200) / 1024));
      const res = await importCsv(pid, `${comments}${CSV_HEADER}\nAAPL,1,2,2024-01-02\n`).expect(201);
      expect(res.body.imported).toBe(1);
    });

    it('a text/csv body over 10 MB → 413 with the error shape', async () => {
      const pid = await newPortfolio();
      const huge = `${CSV_HEADER}\n${'#'.repeat(TEN_MB)}\n`;
      const res = await importCsv(pid, huge).expect(413);
      expect(res.body).toEqual({ status_code: 413, error: 'Payload Too Large', detail: 'Request body too large' });
    });

    it('a multipart file over 10 MB → 413 with the error shape', async () => {
      const pid = await newPortfolio();
      const res = await importFile(pid, Buffer.alloc(TEN_MB + 1, '#')).expect(413);
      expectErrorShape(res.body, 413);
    });
  });

  describe('rejected input', () => {
    it('every bad row is reported with row (data rows, comments not counted), line and column', async () => {
      const pid = await newPortfolio();
      const csv = [CSV_HEADER, '# note', 'AAPL,10,150,2024-01-02', 'TSLA,abc,200,2024-01-03', 'BAD SYM,5,-1,2024-01-04'].join('\n');
      const res = await importCsv(pid, csv).expect(400);
      expect(res.body.detail).toBe('2 row(s) have errors; nothing was imported');
      expect(res.body.errors).toEqual([
        { row: 2, line: 4, column: 'quantity', message: expect.stringContaining('not a number') },
        { row: 3, line: 5, column: 'symbol', message: expect.any(String) },
        { row: 3, line: 5, column: 'entry_price', message: 'must be positive' },
      ]);
      expect(await positions(pid)).toHaveLength(0);
    });

    it.each([
      ['a missing required column', 'symbol,quantity,entry_price\nAAPL,1,2\n', /Missing required column\(s\): entry_date/],
      ['an unknown column', `${CSV_HEADER},notes\nAAPL,1,2,2024-01-02,hi\n`, /Unknown column\(s\): notes/],
      ['a header with no data rows', `${CSV_HEADER}\n`, /no data rows/],
      ['an unclosed quote', `${CSV_HEADER}\n"AAPL,1,2,2024-01-02\n`, /Malformed CSV/],
      ['a row with too many fields', `${CSV_HEADER}\nAAPL,1,2,2024-01-02,extra\n`, /Malformed CSV/],
    ])('400 for %s', async (_case, csv, detail) => {
      const pid = await newPortfolio();
      const res = await importCsv(pid, csv).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.detail).toMatch(detail);
      expect(await positions(pid)).toHaveLength(0);
    });

    it('400 when the body is not CSV (JSON, or nothing)', async () => {
      const pid = await newPortfolio();
      const json = await request(t.http).post(`${API}/portfolio/${pid}/import`).set(bearer(alice.token)).send({ csv: threeRows }).expect(400);
      expectErrorShape(json.body, 400);
      await request(t.http).post(`${API}/portfolio/${pid}/import`).set(bearer(alice.token)).expect(400);
    });

    it("404 for another user's portfolio, which stays empty", async () => {
      const pid = await newPortfolio(bob);
      const res = await importCsv(pid, threeRows, '', alice).expect(404);
      expect(res.body).toEqual({ status_code: 404, error: 'Not Found', detail: 'Portfolio not found' });
      expect(await positions(pid, bob)).toHaveLength(0);
    });

    it('401 without a token', async () => {
      const pid = await newPortfolio();
      await request(t.http).post(`${API}/portfolio/${pid}/import`).set('content-type', 'text/csv').send(threeRows).expect(401);
    });
  });
});

import request from 'supertest';
import { asCalendarDate, CalendarDate } from '../src/common/branded';
import { tradingDaysBetween } from '../src/market-data/calendar';
import { CorporateActionStore } from '../src/market-data/corporate-action.store';
import { MARKET_DATA_PROVIDER, MarketDataService } from '../src/market-data/market-data.service';
import type { MarketDataProvider, SyntheticMarketDataProvider } from '../src/market-data/providers';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

const d = asCalendarDate;
const URL_ACTIONS = `${API}/admin/market-data/actions`;
const HEADER = 'symbol,type,ex_date,pay_date,ratio,amount';

describe('corporate actions: admin upload and provider fetch (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
  });
  afterAll(() => t.close());

  const upload = (csv: string, token = admin.token) =>
    request(t.http).post(URL_ACTIONS).set(bearer(token)).set('content-type', 'text/csv').send(csv);

  it('POST /admin/market-data/actions stores splits and dividends and answers counts per symbol; GET lists them', async () => {
    const csv = `${HEADER}\nACMX,SPLIT,2024-06-10,,4,\nacmx,CASH_DIVIDEND,2024-08-09,2024-08-30,,0.25\nBOLT,CASH_DIVIDEND,2024-05-10,,,1.1\n`;
    const res = await upload(csv).expect(201);
    expect(res.body).toEqual({ imported: 3, symbols: { ACMX: 2, BOLT: 1 } });
    const list = await request(t.http).get(URL_ACTIONS).query({ symbol: 'acmx' }).set(bearer(admin.token)).expect(200);
    expect(list.body).toEqual({
      actions: [
        { symbol: 'ACMX', type: 'SPLIT', ex_date: '2024-06-10', pay_date: null, ratio: 4, amount: null, source: 'manual' },
        { symbol: 'ACMX', type: 'CASH_DIVIDEND', ex_date: '2024-08-09', pay_date: '2024-08-30', ratio: null, amount: 0.25, source: 'manual' },
      ],
    });
    const all = await request(t.http).get(URL_ACTIONS).query({ limit: 2 }).set(bearer(admin.token)).expect(200);
    expect(all.body.actions.map((a: { symbol: string; ex_date: string }) => `${a.symbol} ${a.ex_date}`)).toEqual(['ACMX 2024-06-10', 'ACMX 2024-08-09']);
    await request(t.http).get(URL_ACTIONS).query({ symbol: 'no good!' }).set(bearer(admin.token)).expect(400);
    // the store other modules read sees them too
    const stored = await t.app.get(CorporateActionStore).forSymbols(['ACMX', 'BOLT']);
    expect(stored.get('BOLT')).toEqual([{ symbol: 'BOLT', type: 'CASH_DIVIDEND', exDate: '2024-05-10', payDate: null, ratio: null, amount: 1.1 }]);
  });

  it('accepts a multipart file and replaces an action with the same symbol, type and ex-date', async () => {
    const csv = `${HEADER}\nACMX,SPLIT,2024-06-10,,2,\n`;
    const res = await request(t.http).post(URL_ACTIONS).set(bearer(admin.token)).attach('file', Buffer.from(csv), 'actions.csv').expect(201);
    expect(res.body).toEqual({ imported: 1, symbols: { ACMX: 1 } });
    const stored = await t.app.get(CorporateActionStore).forSymbols(['ACMX']);
    expect(stored.get('ACMX')!.find((a) => a.type === 'SPLIT')!.ratio).toBe(2);
  });

  it('a file with bad rows stores nothing and lists every row\'s error with its line', async () => {
    const csv = [
      HEADER,
      'GOOD1,SPLIT,2024-06-10,,2,',
      '# a comment line is not a row',
      'BAD1,SPLIT,2024-06-11,,0,',
      'BAD1,CASH_DIVIDEND,2024-06-12,2024-06-01,,',
      'bad symbol!,SPLIT,2024-13-01,,2,5',
      'BAD1,MERGER,2024-06-13,,,',
      'GOOD1,SPLIT,2024-06-10,,3,',
    ].join('\n');
    const res = await upload(csv).expect(400);
    expect(res.body.detail).toMatch(/5 row\(s\) have errors; nothing was stored/);
    expect(res.body.errors).toEqual([
      { row: 2, line: 4, column: 'ratio', message: '"0" is not a positive number' },
      { row: 3, line: 5, column: 'pay_date', message: 'must not be before ex_date' },
      { row: 3, line: 5, column: 'amount', message: expect.stringContaining('is required') },
      { row: 4, line: 6, column: 'symbol', message: expect.any(String) },
      { row: 4, line: 6, column: 'ex_date', message: 'must be an ISO date YYYY-MM-DD' },
      { row: 4, line: 6, column: 'amount', message: 'must be empty for a SPLIT' },
      { row: 5, line: 7, column: 'type', message: 'must be SPLIT or CASH_DIVIDEND' },
      { row: 6, line: 8, column: 'ex_date', message: expect.stringContaining('duplicate of row 1') },
    ]);
    const stored = await t.app.get(CorporateActionStore).forSymbols(['GOOD1', 'BAD1']);
    expect(stored.size).toBe(0);
  });

  it('rejects an empty file, an unknown column and a missing body with a 400', async () => {
    await upload(`${HEADER}\n`).expect(400);
    const unknown = await upload('symbol,type,ex_date,factor\nX,SPLIT,2024-01-02,2\n').expect(400);
    expect(unknown.body.detail).toMatch(/Unknown column\(s\): factor/);
    await request(t.http).post(URL_ACTIONS).set(bearer(admin.token)).send({}).expect(400);
  });

  it('is admin only: 403 for a user, 401 without a token', async () => {
    const user = await signUp(t);
    await upload(`${HEADER}\nNOPE,SPLIT,2024-06-10,,2,\n`, user.token).expect(403);
    await request(t.http).get(URL_ACTIONS).set(bearer(user.token)).expect(403);
    await request(t.http).post(URL_ACTIONS).set('content-type', 'text/csv').send(`${HEADER}\nNOPE,SPLIT,2024-06-10,,2,\n`).expect(401);
    await request(t.http).get(URL_ACTIONS).expect(401);
    expect((await t.app.get(CorporateActionStore).forSymbols(['NOPE'])).size).toBe(0);
  });

  it('ensureCorporateActions fetches only what is not covered yet; a failure is an issue and is retried next time', async () => {
    const provider = t.app.get<MarketDataProvider>(MARKET_DATA_PROVIDER);
    const calls: string[] = [];
    const original = provider.fetchCorporateActions.bind(provider);
    provider.fetchCorporateActions = async (symbol, from, to) => {
      calls.push(`${symbol} ${from}..${to}`);
      if (symbol === 'FAILS') throw new Error('FAILS: upstream said no');
      return original(symbol, from, to);
    };
    try {
      const service = t.app.get(MarketDataService);
      const first = await service.ensureCorporateActions(['SPY', 'FAILS'], d('2024-01-01'), d('2024-12-31'));
      expect(first.fetchedSymbols).toBe(2);
      expect(first.storedActions).toBe(4); // SPY: quarterly dividends, no split
      expect(first.issues).toEqual([
        expect.objectContaining({ symbol: 'FAILS', message: 'corporate actions: FAILS: upstream said no', first_missing: '2024-01-01', last_missing: '2024-12-31' }),
      ]);
      const again = await service.ensureCorporateActions(['SPY'], d('2024-01-01'), d('2024-12-31'));
      expect(again).toEqual({ fetchedSymbols: 0, storedActions: 0, issues: [] });
      // extending the range fetches only the new part; the failed symbol is fetched again
      await service.ensureCorporateActions(['SPY', 'FAILS'], d('2024-03-01'), d('2025-03-31'));
      expect(calls).toEqual(['SPY 2024-01-01..2024-12-31', 'FAILS 2024-01-01..2024-12-31', 'SPY 2025-01-01..2025-03-31', 'FAILS 2024-03-01..2025-03-31']);
      const spy = (await t.app.get(CorporateActionStore).forSymbols(['SPY'])).get('SPY')!;
      expect(spy.map((a) => a.exDate)).toEqual((await original('SPY', d('2024-01-01'), d('2025-03-31'))).map((a) => a.exDate));
      expect((await service.ensureCorporateActions(['SPY'], d('2024-01-01'), d('2024-12-31'), { force: true })).fetchedSymbols).toBe(1);
    } finally {
      provider.fetchCorporateActions = original;
    }
  });

  it('split-adjusted closes from the store remove the split: returns are the walk\'s', async () => {
    const provider = t.app.get<SyntheticMarketDataProvider>(MARKET_DATA_PROVIDER);
    let symbol = '';
    let exDate = '' as CalendarDate;
    for (let i = 0; !symbol; i++) {
      const s = provider.corporateActions(`SPL${i}`, d('2024-02-01'), d('2024-11-30')).find((a) => a.type === 'SPLIT');
      if (s) [symbol, exDate] = [`SPL${i}`, s.exDate];
    }
    const service = t.app.get(MarketDataService);
    const [from, to] = [d('2024-01-02'), d('2024-12-31')];
    await service.ensurePrices([symbol], from, to);
    await service.ensureCorporateActions([symbol], from, to);
    const dates = tradingDaysBetween(from, to);
    const raw = await service.priceMatrix([symbol], dates);
    const adjusted = (await service.splitAdjustedMatrix(raw)).closes.get(symbol)!;
    const closes = raw.closes.get(symbol)!;
    const ex = dates.indexOf(exDate);
    const walk = dates.map((day) => provider.walkClose(symbol, day)!);
    const walkReturn = (i: number) => walk[i] / walk[i - 1] - 1;
    // as traded the ex-date shows the ratio; adjusted it moves like the walk
    expect(Math.abs(closes[ex] / closes[ex - 1] - 1 - walkReturn(ex))).toBeGreaterThan(0.3);
    for (let i = 1; i < dates.length; i++) expect(adjusted[i] / adjusted[i - 1] - 1).toBeCloseTo(walkReturn(i), 4);
    expect(adjusted[dates.length - 1]).toBe(closes[dates.length - 1]);
  });
});

import request from 'supertest';
import { asCalendarDate } from '../src/common/branded';
import { tradingDaysBetween } from '../src/market-data/calendar';
import { MARKET_DATA_PROVIDER, MarketDataService } from '../src/market-data/market-data.service';
import { PriceStore } from '../src/market-data/price-store';
import type { MarketDataProvider } from '../src/market-data/providers';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

const d = asCalendarDate;

describe('market data store and admin price upload (e2e)', () => {
  let t: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    t = await startTestApp();
    admin = await signUpAdmin(t);
  });
  afterAll(() => t.close());

  it('ensurePrices fetches only what is missing, once per symbol', async () => {
    const provider = t.app.get<MarketDataProvider>(MARKET_DATA_PROVIDER);
    const calls: string[] = [];
    const original = provider.fetchDailyBars.bind(provider);
    provider.fetchDailyBars = async (symbol, from, to) => {
      calls.push(`${symbol} ${from}..${to}`);
      return original(symbol, from, to);
    };
    try {
      const service = t.app.get(MarketDataService);
      const first = await service.ensurePrices(['AAA', 'BBB'], d('2025-03-03'), d('2025-03-31'));
      expect(first.fetchedSymbols).toBe(2);
      expect(first.storedBars).toBe(2 * tradingDaysBetween(d('2025-03-03'), d('2025-03-31')).length);
      const again = await service.ensurePrices(['AAA', 'BBB'], d('2025-03-03'), d('2025-03-31'));
      expect(again.fetchedSymbols).toBe(0);
      // extending the range fetches only the new days
      await service.ensurePrices(['AAA'], d('2025-03-03'), d('2025-04-04'));
      expect(calls).toEqual(['AAA 2025-03-03..2025-03-31', 'BBB 2025-03-03..2025-03-31', 'AAA 2025-04-01..2025-04-04']);
    } finally {
      provider.fetchDailyBars = original;
    }
  });

  it('a provider failure is reported per symbol, never stored as zero', async () => {
    const provider = t.app.get<MarketDataProvider>(MARKET_DATA_PROVIDER);
    const original = provider.fetchDailyBars.bind(provider);
    provider.fetchDailyBars = async (symbol, from, to) => {
      if (symbol === 'BROKEN') throw new Error('BROKEN: upstream said no');
      return original(symbol, from, to);
    };
    try {
      const result = await t.app.get(MarketDataService).ensurePrices(['BROKEN', 'CCC'], d('2025-05-01'), d('2025-05-09'));
      expect(result.issues).toEqual([
        expect.objectContaining({ symbol: 'BROKEN', message: 'BROKEN: upstream said no', missing_dates: 7, first_missing: '2025-05-01', last_missing: '2025-05-09' }),
      ]);
      const matrix = await t.app.get(MarketDataService).priceMatrix(['BROKEN', 'CCC'], tradingDaysBetween(d('2025-05-01'), d('2025-05-09')));
      expect([...matrix.closes.get('BROKEN')!].every(Number.isNaN)).toBe(true);
      const gaps = MarketDataService.gaps(matrix);
      expect(gaps).toHaveLength(7);
      expect(gaps[0]).toEqual({ symbol: 'BROKEN', date: '2025-05-01' });
      expect([...matrix.closes.get('CCC')!].every((v) => v > 0)).toBe(true);
    } finally {
      provider.fetchDailyBars = original;
    }
  });

  it('POST /admin/market-data/prices stores a valid file and answers counts per symbol', async () => {
    const csv = 'symbol,date,close,volume\nZZZ,2025-02-03,10.5,1000\nZZZ,2025-02-04,10.75,\nyyy,2025-02-03,99\n';
    const res = await request(t.http).post(`${API}/admin/market-data/prices`).set(bearer(admin.token)).set('content-type', 'text/csv').send(csv).expect(201);
    expect(res.body).toEqual({ stored: 3, symbols: { ZZZ: 2, YYY: 1 } });
    const closes = await t.app.get(PriceStore).closes(['ZZZ'], d('2025-02-01'), d('2025-02-28'));
    expect(Object.fromEntries(closes.get('ZZZ')!)).toEqual({ '2025-02-03': 10.5, '2025-02-04': 10.75 });
  });

  it('a bad price file stores nothing and lists every bad row', async () => {
    const csv = 'symbol,date,close\nQQQ1,2025-02-03,10\nQQQ1,2025-02-30,10\nQQQ1,2025-02-04,-1\nQQQ1,2025-02-03,11\n';
    const res = await request(t.http).post(`${API}/admin/market-data/prices`).set(bearer(admin.token)).set('content-type', 'text/csv').send(csv).expect(400);
    expect(res.body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual(['2:date', '3:close', '4:date']);
    const closes = await t.app.get(PriceStore).closes(['QQQ1'], d('2025-02-01'), d('2025-02-28'));
    expect(closes.has('QQQ1')).toBe(false);
  });

  it('is admin only', async () => {
    const user = await signUp(t);
    await request(t.http).post(`${API}/admin/market-data/prices`).set(bearer(user.token)).set('content-type', 'text/csv').send('symbol,date,close\n').expect(403);
  });
});

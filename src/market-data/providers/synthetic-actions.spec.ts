import { asCalendarDate, CalendarDate } from '../../common/branded';
import { isTradingDay, previousTradingDay, tradingDaysBack, tradingDaysForward } from '../calendar/nyse-calendar';
import { adjustCloses } from '../split-adjust';
import { NEVER_SPLIT, SPLIT_HORIZON } from './synthetic-actions';
import { SyntheticMarketDataProvider } from './synthetic-provider';

const d = asCalendarDate;
const ALL = [d('2000-01-01'), d('2039-12-31')] as const;
const FACTOR_ETFS = ['SPY', 'VUG', 'VTV', 'MTUM', 'IWM', 'QUAL', 'USMV', 'TLT', 'QQQ'];

describe('synthetic corporate actions', () => {
  const provider = new SyntheticMarketDataProvider({ seed: 42 });
  const symbols = Array.from({ length: 200 }, (_, i) => `CA${i}`);

  /** The first symbol with a split whose ex-date is in [from, to]. */
  const splitter = (from: string, to: string, ratio?: (r: number) => boolean) => {
    for (const symbol of symbols) {
      const s = provider.corporateActions(symbol, d(from), d(to)).find((a) => a.type === 'SPLIT' && (!ratio || ratio(a.ratio!)));
      if (s) return { symbol, split: s };
    }
    throw new Error('no splitter found');
  };

  it('are the same for the same seed, whatever range is asked, and differ with the seed', async () => {
    const again = new SyntheticMarketDataProvider({ seed: 42 });
    const other = new SyntheticMarketDataProvider({ seed: 43 });
    const all = symbols.map((s) => provider.corporateActions(s, ...ALL));
    expect(symbols.map((s) => again.corporateActions(s, ...ALL))).toEqual(all);
    expect(await again.fetchCorporateActions('CA1', d('2010-01-01'), d('2012-12-31'))).toEqual(
      all[1].filter((a) => a.exDate >= '2010-01-01' && a.exDate <= '2012-12-31'),
    );
    expect(symbols.map((s) => other.corporateActions(s, ...ALL))).not.toEqual(all);
  });

  it('split a small share of stocks every few years with 2:1, 3:1 or 1:N ratios, up to the horizon', () => {
    const splits = symbols.map((s) => provider.corporateActions(s, ...ALL).filter((a) => a.type === 'SPLIT'));
    const share = splits.filter((s) => s.length > 0).length / symbols.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.25);
    for (const list of splits) {
      for (const [i, s] of list.entries()) {
        expect([2, 3, 1 / 5, 1 / 10]).toContain(s.ratio);
        expect(isTradingDay(s.exDate) && s.exDate <= SPLIT_HORIZON).toBe(true);
        if (i > 0) expect(Number(s.exDate.slice(0, 4)) - Number(list[i - 1].exDate.slice(0, 4))).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('never split the factor ETFs or the sample book, which pay or not as documented', () => {
    for (const symbol of [...FACTOR_ETFS, ...NEVER_SPLIT]) {
      expect(provider.corporateActions(symbol, ...ALL).filter((a) => a.type === 'SPLIT')).toEqual([]);
    }
    // the sample book's closes are the walk's
    expect(provider.closeOn('AMZN', d('2024-05-06'))).toBe(provider.walkClose('AMZN', d('2024-05-06')));
    const spy = provider.corporateActions('SPY', d('2024-01-01'), d('2027-12-31'));
    expect(spy).toHaveLength(16);
    expect(spy.every((a) => a.type === 'CASH_DIVIDEND')).toBe(true);
  });

  it('pay quarterly dividends of yield / 4 × the close before the ex-date, on trading days, paid later', () => {
    let checked = 0;
    for (const symbol of symbols.slice(0, 60)) {
      const dividends = provider.corporateActions(symbol, d('2020-01-01'), d('2024-12-31')).filter((a) => a.type === 'CASH_DIVIDEND');
      expect([0, 20]).toContain(dividends.length);
      for (const a of dividends) {
        const close = provider.closeOn(symbol, previousTradingDay(a.exDate))!;
        const yieldNow = (a.amount! * 4) / close;
        expect(yieldNow).toBeGreaterThan(0.004);
        expect(yieldNow).toBeLessThan(0.041);
        expect(isTradingDay(a.exDate) && isTradingDay(a.payDate!) && a.payDate! > a.exDate).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('closes are as traded: the ratio shows at the ex-date, and the split-adjusted series is the walk', () => {
    for (const { symbol, split } of [splitter('2005-01-01', '2030-12-31', (r) => r > 1), splitter('2005-01-01', '2030-12-31', (r) => r < 1)]) {
      const from = tradingDaysBack(split.exDate, 40);
      const to = tradingDaysForward(split.exDate, 40);
      const bars = provider.dailyBars(symbol, from, to);
      const dates = bars.map((b) => b.date as CalendarDate);
      const closes = bars.map((b) => b.close);
      const walk = dates.map((day) => provider.walkClose(symbol, day)!);
      const ex = dates.indexOf(split.exDate);
      // the as-traded move over the ex-date is the walk's move × the ratio
      expect((closes[ex - 1] / closes[ex]) / (walk[ex - 1] / walk[ex])).toBeCloseTo(split.ratio!, 3);
      // split-adjusted closes equal the walk scaled by the splits after the window (rounding to 4 decimals aside)
      const adjusted = adjustCloses(closes, dates, provider.corporateActions(symbol, from, to));
      const scale = closes[closes.length - 1] / walk[walk.length - 1];
      adjusted.forEach((a, i) => expect(Math.abs(a / (walk[i] * scale) - 1)).toBeLessThan(1e-5));
      expect(adjusted[adjusted.length - 1]).toBe(closes[closes.length - 1]);
      // open/high/low move with the close: the day before the split is still a valid bar
      const before = bars[ex - 1];
      expect(before.low! <= Math.min(before.open!, before.close) && before.high! >= Math.max(before.open!, before.close)).toBe(true);
    }
  });
});

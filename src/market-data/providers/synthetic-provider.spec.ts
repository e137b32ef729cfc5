import { asCalendarDate, CalendarDate } from '../../common/branded';
import { adjustCloses } from '../split-adjust';
import { isTradingDay, tradingDaysBetween } from '../calendar/nyse-calendar';
import { DailyBar, MarketDataError } from './market-data-provider';
import { syntheticProfile } from './synthetic-model';
import { syntheticClose, SyntheticMarketDataProvider } from './synthetic-provider';

const d = asCalendarDate;
const { sqrt } = Math;

function returns(closes: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) out.push(closes[i] / closes[i - 1] - 1);
  return out;
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function covariance(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (a.length - 1);
}

const annualVol = (r: number[]): number => sqrt(covariance(r, r) * 252);
const correlation = (a: number[], b: number[]): number => covariance(a, b) / sqrt(covariance(a, a) * covariance(b, b));
const beta = (asset: number[], market: number[]): number => covariance(asset, market) / covariance(market, market);
const minus = (a: number[], b: number[]): number[] => a.map((x, i) => x - b[i]);

describe('SyntheticMarketDataProvider', () => {
  const provider = new SyntheticMarketDataProvider({ seed: 42 });
  const from = d('2015-01-01');
  const to = d('2024-12-31');
  // Returns on split-adjusted closes: closes are as traded, so a split would otherwise show as a jump.
  const adjusted = (symbol: string, a: CalendarDate, b: CalendarDate): Float64Array => {
    const bars: DailyBar[] = provider.dailyBars(symbol, a, b);
    return adjustCloses(bars.map((x) => x.close), bars.map((x) => x.date), provider.corporateActions(symbol, a, b));
  };
  const r = (symbol: string): number[] => returns(adjusted(symbol, from, to));

  it('is deterministic and independent of the requested range', async () => {
    const wide = await new SyntheticMarketDataProvider({ seed: 42 }).fetchDailyBars('AAPL', d('2005-01-01'), d('2024-12-31'));
    const narrow = await new SyntheticMarketDataProvider({ seed: 42 }).fetchDailyBars('AAPL', d('2024-03-01'), d('2024-03-31'));
    expect(narrow.length).toBeGreaterThan(15);
    expect(wide.filter((b) => b.date >= '2024-03-01' && b.date <= '2024-03-31')).toEqual(narrow);
    const other = await new SyntheticMarketDataProvider({ seed: 43 }).fetchDailyBars('AAPL', d('2024-03-01'), d('2024-03-31'));
    expect(other.map((b) => b.close)).not.toEqual(narrow.map((b) => b.close));
    expect(syntheticClose('AAPL', d('2024-03-15'), 42)).toBe(narrow.find((b) => b.date === '2024-03-15')?.close);
  });

  it('returns bars on NYSE trading days only, ascending, within the range', () => {
    const bars = provider.dailyBars('MSFT', d('2024-06-15'), d('2024-07-10'));
    expect(bars.map((b) => b.date)).toEqual(tradingDaysBetween(d('2024-06-15'), d('2024-07-10')));
    expect(bars.every((b) => isTradingDay(b.date) && b.symbol === 'MSFT')).toBe(true);
    expect(provider.dailyBars('MSFT', d('2024-07-06'), d('2024-07-07'))).toEqual([]);
    expect(provider.dailyBars('MSFT', d('2024-07-10'), d('2024-07-01'))).toEqual([]);
    expect(provider.closeOn('MSFT', d('2024-07-04'))).toBeNull();
  });

  it('starts at the epoch with the profile start price and has nothing before it', () => {
    const bars = provider.dailyBars('XYZ', d('1999-06-01'), d('2000-01-10'));
    expect(bars[0].date).toBe('2000-01-03');
    expect(bars[0].close).toBe(syntheticProfile('XYZ').startPrice);
    expect(syntheticProfile('XYZ').startPrice).toBeGreaterThanOrEqual(20);
    expect(syntheticProfile('XYZ').startPrice).toBeLessThanOrEqual(500);
    expect(provider.dailyBars('XYZ', d('1999-01-01'), d('1999-12-31'))).toEqual([]);
  });

  it('produces positive, consistent OHLCV bars', () => {
    const problems: string[] = [];
    let maxClose = 0;
    for (let i = 0; i < 40; i++) {
      const walk = adjusted(`T${i}`, d('2000-01-01'), d('2026-12-31'));
      const last = provider.walkClose(`T${i}`, d('2026-12-31'))!;
      // the split-adjusted series, anchored like the walk (after the last split), stays in a plausible range
      maxClose = Math.max(maxClose, ...walk.map((x) => (x * last) / walk[walk.length - 1]));
      for (const b of provider.dailyBars(`T${i}`, d('2000-01-01'), d('2026-12-31'))) {
        const { open, high, low, close, volume } = b;
        if (open === null || high === null || low === null || volume === null) problems.push(`${b.symbol} ${b.date} null`);
        else if (!(low > 0 && low <= Math.min(open, close) && high >= Math.max(open, close))) problems.push(`${b.symbol} ${b.date}`);
        else if (!Number.isInteger(volume) || volume <= 0) problems.push(`${b.symbol} ${b.date} volume`);
      }
    }
    expect(problems).toEqual([]);
    expect(maxClose).toBeLessThan(100_000);
  });

  it('gives plausible volatilities and betas', () => {
    const spy = r('SPY');
    expect(annualVol(spy)).toBeGreaterThan(0.1);
    expect(annualVol(spy)).toBeLessThan(0.3);
    const vols: number[] = [];
    const betas: number[] = [];
    for (let i = 0; i < 60; i++) {
      const rs = r(`STK${i}`);
      vols.push(annualVol(rs));
      betas.push(beta(rs, spy));
      expect(Math.abs(betas[i] - syntheticProfile(`STK${i}`).beta)).toBeLessThan(0.25);
    }
    expect(Math.min(...vols)).toBeGreaterThan(0.1);
    expect(Math.max(...vols)).toBeLessThan(0.8);
    expect(Math.max(...vols) - Math.min(...vols)).toBeGreaterThan(0.25);
    expect(Math.max(...betas) - Math.min(...betas)).toBeGreaterThan(0.9);
  });

  it('correlates a high-beta symbol with SPY more than a low-beta, high-idio one', () => {
    const spy = r('SPY');
    let high = '';
    let low = '';
    for (let i = 0; !high || !low; i++) {
      const p = syntheticProfile(`S${i}`);
      if (!high && p.beta > 1.5 && p.idioVol < 0.3) high = p.symbol;
      if (!low && p.beta < 0.6 && p.idioVol > 0.3) low = p.symbol;
    }
    const highCorr = correlation(r(high), spy);
    const lowCorr = correlation(r(low), spy);
    expect(beta(r(high), spy)).toBeGreaterThan(1.3);
    expect(highCorr).toBeGreaterThan(0.6);
    expect(highCorr).toBeLessThan(0.99);
    expect(lowCorr).toBeGreaterThan(0);
    expect(lowCorr).toBeLessThan(highCorr - 0.2);
  });

  it('builds the factor ETFs so their spreads carry distinct factors', () => {
    const spy = r('SPY');
    const growth = minus(r('VUG'), r('VTV'));
    const momentum = minus(r('MTUM'), spy);
    const size = minus(r('IWM'), spy);
    expect(annualVol(growth)).toBeGreaterThan(0.04);
    expect(Math.abs(correlation(growth, momentum))).toBeLessThan(0.2);
    expect(Math.abs(correlation(size, momentum))).toBeLessThan(0.2);
    expect(beta(r('USMV'), spy)).toBeLessThan(0.9);
    expect(correlation(r('QUAL'), spy)).toBeGreaterThan(0.9);
    const tltCorr = correlation(r('TLT'), spy);
    expect(tltCorr).toBeLessThan(-0.05);
    expect(tltCorr).toBeGreaterThan(-0.5);
  });

  it('generates 500 symbols × ~7,000 days quickly', () => {
    const fresh = new SyntheticMarketDataProvider({ seed: 7 });
    const started = performance.now();
    let days = 0;
    for (let i = 0; i < 500; i++) {
      if (fresh.closeOn(`P${i}`, d('2027-12-31')) !== null) days += 1;
    }
    const elapsed = performance.now() - started;
    expect(days).toBe(500);
    expect(tradingDaysBetween(d('2000-01-03'), d('2027-12-31')).length).toBeGreaterThan(7000);
    expect(elapsed).toBeLessThan(1500);
  });

  it('rejects an empty symbol with a MarketDataError', async () => {
    await expect(provider.fetchDailyBars('  ', from, to)).rejects.toBeInstanceOf(MarketDataError);
    expect(() => new SyntheticMarketDataProvider({ seed: 1.5 })).toThrow(TypeError);
  });
});

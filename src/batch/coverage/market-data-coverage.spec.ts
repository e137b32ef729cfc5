import { asCalendarDate } from '../../common/branded';
import { tradingDaysBack } from '../../market-data/calendar';
import { coverageReport } from './market-data-coverage';

const d = asCalendarDate;
const A = { portfolio_id: 'a', name: 'Alpha' };
const B = { portfolio_id: 'b', name: 'Beta' };

describe('coverageReport', () => {
  // 2025-06-02 is a Monday after Memorial Day (05-26): five trading days back is Friday 05-23 (NYSE calendar)
  const staleBefore = tradingDaysBack(d('2025-06-02'), 5);

  it('five trading days before 2025-06-02 skip the Memorial Day holiday', () => {
    expect(staleBefore).toBe('2025-05-23');
  });

  it('a close older than stale_before is stale; a newer gap, or none at all, is missing; regrouped per portfolio', () => {
    const r = coverageReport(d('2025-06-02'), staleBefore, 12, [
      { symbol: 'AAPL', last_price_date: '2025-05-30', factor: false, portfolios: [A, B] },
      { symbol: 'EDGE', last_price_date: '2025-05-23', factor: false, portfolios: [B] },
      { symbol: 'NOPX', last_price_date: null, factor: false, portfolios: [B] },
      { symbol: 'OLD', last_price_date: '2025-05-22', factor: false, portfolios: [A] },
      { symbol: 'SPY', last_price_date: '2025-01-02', factor: true, portfolios: [] },
    ]);
    expect(r.missing.map((s) => s.symbol)).toEqual(['AAPL', 'EDGE', 'NOPX']);
    expect(r.stale.map((s) => s.symbol)).toEqual(['OLD', 'SPY']);
    expect(r).toMatchObject({ date: '2025-06-02', stale_before: '2025-05-23', stale_after_trading_days: 5, symbols_checked: 12 });
    expect(r.portfolios).toEqual([
      { ...A, missing_symbols: ['AAPL'], stale_symbols: ['OLD'] },
      { ...B, missing_symbols: ['AAPL', 'EDGE', 'NOPX'], stale_symbols: [] },
    ]);
  });

  it('nothing lacking: empty lists', () => {
    expect(coverageReport(d('2025-06-02'), staleBefore, 9, [])).toMatchObject({ missing: [], stale: [], portfolios: [], symbols_checked: 9 });
  });
});

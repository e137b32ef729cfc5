import { asCalendarDate } from '../../common/branded';
import { tradingDaysBack } from '../../market-data/calendar';
import { priceRangeStart } from './market-data.phase';
import { PriceWindowCache } from './price-window.cache';

describe('priceRangeStart', () => {
  const first = asCalendarDate('2026-12-01');
  const window = PriceWindowCache.window(first)[0];

  it('is the risk window of the first date when nothing older needs recomputing', () => {
    expect(priceRangeStart(first, null, 1300)).toBe(window);
    expect(priceRangeStart(first, asCalendarDate('2026-11-30'), 1300)).toBe(window);
  });

  it('reaches back to the earliest day a portfolio needs recomputing', () => {
    expect(priceRangeStart(first, asCalendarDate('2024-01-02'), 1300)).toBe('2024-01-02');
  });

  it('never further than LEDGER_MAX_RECOMPUTE_DAYS trading days', () => {
    expect(priceRangeStart(first, asCalendarDate('2010-01-04'), 300)).toBe(tradingDaysBack(first, 300));
  });
});

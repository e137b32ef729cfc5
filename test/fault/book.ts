import { latestCompletedTradingDay, previousTradingDay } from '../../src/market-data/calendar';

/** The book both process suites run: 2,000 portfolios over the last 4 trading days (a backfill), so each run lasts seconds and a signal lands mid-phase. */
export const PORTFOLIOS = 2000;
export const DATES = 4;
const END = latestCompletedTradingDay(new Date());
let start = END;
for (let i = 1; i < DATES; i++) start = previousTradingDay(start);
export const RANGE = { start_date: start, end_date: END };
export const ROWS = PORTFOLIOS * DATES;

import { latestCompletedTradingDay, previousTradingDay } from '../../src/market-data/calendar';

/** The book both process suites run: 2,000 portfolios over the last 4 trading days (a backfill), so each run lasts seconds and a signal lands mid-phase. */
export const PORTFOLIOS = 2000;
export const DATES = 4;
const END = latestCompletedTradingDay(new Date());
let start = END;
for (let i = 1; i < DATES; i++) start = previousTradingDay(start);
export const RANGE = { start_date: start, end_date: END };
export const ROWS = PORTFOLIOS * DATES;

/** A 10-trading-day backfill ending on the same day (the single-process suite's book starts on its first day). */
export const BACKFILL_DATES = 10;
let start10 = END;
for (let i = 1; i < BACKFILL_DATES; i++) start10 = previousTradingDay(start10);
export const BACKFILL = { start_date: start10, end_date: END };

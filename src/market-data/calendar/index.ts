export * from './nyse-calendar';
export { easterSunday } from './easter';
export { newYorkDate, newYorkWallClock, NYSE_TIME_ZONE } from './new-york-time';
export type { NewYorkWallClock } from './new-york-time';
export { SPECIAL_CLOSURES, MIN_SUPPORTED_YEAR, MAX_SUPPORTED_YEAR } from './nyse-rules';

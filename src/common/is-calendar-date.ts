/** Kept for imports: the branded date field decorator lives with the other edge helpers. */
export { IsCalendarDate } from './branded-input';

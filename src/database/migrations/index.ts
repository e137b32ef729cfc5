import { Foundation1764300000000 } from './1764300000000-Foundation';

/** Migrations in order; run at start. */
export const MIGRATIONS = [Foundation1764300000000];

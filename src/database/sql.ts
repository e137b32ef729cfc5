import type { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of a raw statement. TypeORM's postgres driver answers UPDATE/DELETE
 * with `[rows, rowCount]` but SELECT/INSERT with `rows`; this evens that out.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function sqlRows(db: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<any[]> {
  const result = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result;
}

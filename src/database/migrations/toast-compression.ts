import type { QueryRunner } from 'typeorm';

/** lz4 is a build option of the server (the embedded database has only pglz). */
export async function hasLz4(q: QueryRunner): Promise<boolean> {
  const rows: Array<{ lz4: boolean }> = await q.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
  return rows[0]?.lz4 === true;
}

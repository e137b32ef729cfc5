import { Client } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { uncounted } from './sql-counter';

export interface BenchDatabase {
  url: string;
  /** 'server' (a new database on DATABASE_URL's server) or 'embedded' (in-memory PGlite). */
  kind: 'server' | 'embedded';
  name: string;
  drop(): Promise<void>;
}

/** A client of the bench itself; its statements are not counted as the app's. */
export async function benchClient(url: string): Promise<Client> {
  const c = uncounted(new Client({ connectionString: url, application_name: 'sigmasight-bench' }));
  await c.connect();
  return c;
}

/**
 * A fresh database: `CREATE DATABASE sigmasight_bench_<ts>` on the server of
 * DATABASE_URL (or TEST_DATABASE_URL), dropped at the end; else an in-memory
 * embedded PostgreSQL (PGlite).
 */
export async function createBenchDatabase(embedded: boolean): Promise<BenchDatabase> {
  const base = embedded ? undefined : (process.env.DATABASE_URL || process.env.TEST_DATABASE_URL);
  if (!base) {
    const db = await EmbeddedPostgres.start(null);
    return { url: db.url, kind: 'embedded', name: 'pglite (in memory)', drop: () => db.stop() };
  }
  const name = `sigmasight_bench_${Date.now()}_${process.pid}`;
  const admin = await benchClient(base);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'server',
    name,
    drop: async () => {
      const c = await benchClient(base);
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

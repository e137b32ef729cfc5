import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface TestDatabase {
  url: string;
  /** True when on the real server from TEST_DATABASE_URL (vs embedded PGlite). */
  server: boolean;
  drop(): Promise<void>;
}

/**
 * A fresh database per test file: a new database on the TEST_DATABASE_URL
 * server (CI), else a new in-memory embedded PostgreSQL. Files run in parallel.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const embedded = await EmbeddedPostgres.start(null);
    return { url: embedded.url, server: false, drop: () => embedded.stop() };
  }
  const name = `sigmasight_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    server: true,
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../ormconfig';
import { MIGRATIONS } from '../../src/database/migrations';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';

/**
 * The batch's large result documents are compressed with lz4 where the
 * server has it (migration 1764400700000: an earlier change of their type
 * had reset them to pglz). On the embedded database, which has only pglz,
 * the migrations still run and leave the default.
 */
describe('result documents compression (migrations)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ ...dataSourceOptions(db.url), migrations: MIGRATIONS });
    await ds.initialize();
    await ds.runMigrations();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('lz4 on positions, metrics and checkpoint state when the server has it; a written record is stored with it', async () => {
    const [{ lz4 }] = await ds.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
    const columns: Array<{ attname: string; attcompression: string }> = await ds.query(
      `SELECT attname, attcompression FROM pg_attribute
       WHERE (attrelid, attname) IN (('portfolio_snapshots'::regclass, 'positions'), ('portfolio_risk'::regclass, 'metrics'), ('ledger_checkpoints'::regclass, 'state'))
       ORDER BY attname`,
    );
    expect(columns.map((c) => c.attname)).toEqual(['metrics', 'positions', 'state']);
    expect(columns.map((c) => c.attcompression)).toEqual(lz4 ? ['l', 'l', 'l'] : ['', '', '']);
    if (!lz4) return;
    const [user] = await ds.query(`INSERT INTO users (email, password_hash, full_name) VALUES ('c@example.com', 'x', 'C') RETURNING id`);
    const [p] = await ds.query(`INSERT INTO portfolios (user_id, name) VALUES ($1, 'Book') RETURNING id`, [user.id]);
    const big = JSON.stringify({ numbers: Array.from({ length: 2000 }, (_, i) => i / 7) });
    await ds.query(`INSERT INTO portfolio_risk (portfolio_id, calculation_date, metrics) VALUES ($1, '2026-12-01', $2::json)`, [p.id, big]);
    const [row] = await ds.query(`SELECT pg_column_compression(metrics) AS method FROM portfolio_risk WHERE portfolio_id = $1`, [p.id]);
    expect(row.method).toBe('lz4');
  });
});

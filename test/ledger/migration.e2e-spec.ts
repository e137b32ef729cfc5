import { rmSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../ormconfig';
import { hashPassword } from '../../src/auth/password-hasher';
import { buildApp } from '../../src/bootstrap';
import { configureRootLogger } from '../../src/common/logging';
import { MIGRATIONS } from '../../src/database/migrations';
import { API, bearer, closeApp, testSettings } from '../helpers/test-app';
import { createTestDatabase, TestDatabase } from '../helpers/test-database';

/**
 * LedgerBackfill on a populated database: a book stored the old way
 * (positions with quantity, price and date; a cash balance) comes out as
 * holdings with TRANSFER_INs and a DEPOSIT, and the derived positions and cash
 * are what was stored before.
 */
describe('LedgerBackfill migration on a populated database (e2e)', () => {
  let db: TestDatabase;
  const ids = { user: '', book: '', empty: '', overdrawn: '' };

  beforeAll(async () => {
    db = await createTestDatabase();
    const old = new DataSource({ ...dataSourceOptions(db.url), migrations: MIGRATIONS.slice(0, 4) });
    await old.initialize();
    await old.runMigrations();
    const [u] = await old.query(`INSERT INTO users (email, password_hash, full_name) VALUES ('old@example.com', $1, 'Old') RETURNING id`, [await hashPassword('password-123')]);
    ids.user = u.id;
    const portfolios = await old.query(
      `INSERT INTO portfolios (user_id, name, cash_balance, created_at) VALUES ($1, 'Book', 12500.5, '2024-01-02T15:00:00Z'), ($1, 'Empty', 0, now()),
         ($1, 'Overdrawn', -300, '2024-02-01T10:00:00Z') RETURNING id, name`, [ids.user]);
    for (const p of portfolios) ids[p.name.toLowerCase() as 'book'] = p.id;
    await old.query(
      `INSERT INTO positions (portfolio_id, symbol, quantity, entry_price, entry_date, position_type, underlying_symbol, strike_price, expiration_date, implied_volatility, created_at)
       VALUES ($1, 'AAPL', 100, 150, '2024-01-02', 'LONG', NULL, NULL, NULL, NULL, '2024-01-02T16:00:00Z'),
              ($1, 'AAPL', 50, 180, '2024-03-01', 'LONG', NULL, NULL, NULL, NULL, '2024-03-01T16:00:00Z'),
              ($1, 'TSLA', -20, 240, '2024-02-01', 'SHORT', NULL, NULL, NULL, NULL, '2024-02-01T16:00:00Z'),
              ($1, 'AAPL290119C00200000', 2, 12.5, '2024-04-01', 'LC', 'AAPL', 200, '2029-01-19', 0.3, '2024-04-01T16:00:00Z'),
              ($1, 'SPY290119P00400000', -3, 8, '2024-04-02', 'SP', 'SPY', 400, '2029-01-19', NULL, '2024-04-02T16:00:00Z'),
              ($2, 'MSFT', 10, 400, '2024-05-01', 'LONG', NULL, NULL, NULL, NULL, '2024-05-01T16:00:00Z')`,
      [ids.book, ids.overdrawn]);
    await old.destroy();
  });
  afterAll(() => db.drop());

  it('runs the remaining migrations at start and derives the same book', async () => {
    const { settings, dataDir } = testSettings('migration');
    configureRootLogger(settings.logLevel);
    const app = await buildApp(settings, db.url, false);
    try {
      const ds = app.get(DataSource);
      const holdings = await ds.query(`SELECT symbol, position_type, underlying_symbol, strike_price::float8 AS strike, implied_volatility::float8 AS iv
        FROM positions WHERE portfolio_id = $1 ORDER BY symbol`, [ids.book]);
      expect(holdings).toEqual([
        { symbol: 'AAPL', position_type: 'LONG', underlying_symbol: null, strike: null, iv: null },
        { symbol: 'AAPL290119C00200000', position_type: 'LC', underlying_symbol: 'AAPL', strike: 200, iv: 0.3 },
        { symbol: 'SPY290119P00400000', position_type: 'SP', underlying_symbol: 'SPY', strike: 400, iv: null },
        { symbol: 'TSLA', position_type: 'SHORT', underlying_symbol: null, strike: null, iv: null },
      ]);
      const columns = (await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'positions'`)).map((c: { column_name: string }) => c.column_name);
      expect(columns).not.toEqual(expect.arrayContaining(['quantity']));
      expect(columns.some((c: string) => ['entry_price', 'entry_date'].includes(c))).toBe(false);
      const txs = await ds.query(`SELECT t.type, to_char(t.trade_date, 'YYYY-MM-DD') AS date, h.symbol, t.quantity::float8 AS q, t.price::float8 AS price,
          t.amount::float8 AS amount, t.source FROM transactions t LEFT JOIN positions h ON h.id = t.position_id
        WHERE t.portfolio_id = $1 ORDER BY t.trade_date, t.sequence`, [ids.book]);
      expect(txs).toEqual([
        { type: 'TRANSFER_IN', date: '2024-01-02', symbol: 'AAPL', q: 100, price: 150, amount: null, source: 'user' },
        { type: 'DEPOSIT', date: '2024-01-02', symbol: null, q: null, price: null, amount: 12500.5, source: 'user' },
        { type: 'TRANSFER_IN', date: '2024-02-01', symbol: 'TSLA', q: 20, price: 240, amount: null, source: 'user' },
        { type: 'TRANSFER_IN', date: '2024-03-01', symbol: 'AAPL', q: 50, price: 180, amount: null, source: 'user' },
        { type: 'TRANSFER_IN', date: '2024-04-01', symbol: 'AAPL290119C00200000', q: 2, price: 12.5, amount: null, source: 'user' },
        { type: 'TRANSFER_IN', date: '2024-04-02', symbol: 'SPY290119P00400000', q: 3, price: 8, amount: null, source: 'user' },
      ]);
      expect(await ds.query(`SELECT type, amount::float8 AS amount FROM transactions WHERE portfolio_id = $1`, [ids.overdrawn]))
        .toEqual(expect.arrayContaining([{ type: 'WITHDRAWAL', amount: 300 }]));
      expect(await ds.query(`SELECT count(*)::int AS n FROM transactions WHERE portfolio_id = $1`, [ids.empty])).toEqual([{ n: 0 }]);

      const login = await request(app.getHttpServer()).post(`${API}/auth/login`).send({ email: 'old@example.com', password: 'password-123' }).expect(200);
      const token = login.body.access_token;
      const positions = (await request(app.getHttpServer()).get(`${API}/portfolio/${ids.book}/positions`).set(bearer(token)).expect(200)).body;
      expect(positions.map((p: Record<string, unknown>) => [p.symbol, p.quantity, p.entry_date, p.position_type, p.multiplier])).toEqual([
        ['AAPL', 150, '2024-01-02', 'LONG', 1],
        ['AAPL290119C00200000', 2, '2024-04-01', 'LC', 100],
        ['SPY290119P00400000', -3, '2024-04-02', 'SP', 100],
        ['TSLA', -20, '2024-02-01', 'SHORT', 1],
      ]);
      expect(positions[0].entry_price).toBeCloseTo((100 * 150 + 50 * 180) / 150, 9);
      expect(positions[0].cost_basis).toBeCloseTo(24000, 6);
      const lots = (await request(app.getHttpServer()).get(`${API}/portfolio/${ids.book}/lots`).set(bearer(token)).expect(200)).body;
      expect(lots.filter((l: { symbol: string }) => l.symbol === 'AAPL').map((l: { quantity: number; cost_per_unit: number }) => [l.quantity, l.cost_per_unit]))
        .toEqual([[100, 150], [50, 180]]);
      const book = (await request(app.getHttpServer()).get(`${API}/portfolio/${ids.book}`).set(bearer(token)).expect(200)).body;
      expect(book).toMatchObject({ cash_balance: 12500.5, position_count: 4, cost_basis_method: 'FIFO' });
      const overdrawn = (await request(app.getHttpServer()).get(`${API}/portfolio/${ids.overdrawn}`).set(bearer(token)).expect(200)).body;
      expect(overdrawn).toMatchObject({ cash_balance: -300, position_count: 1 });
    } finally {
      await closeApp(app);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

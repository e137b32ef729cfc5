import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, requireBuiltCli } from './helpers/cli-process';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

describe('operator CLI (e2e, real processes)', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    requireBuiltCli();
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'sigmasight-cli-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['a short password', 'short-pw-11', '--password must be at least 12 characters'],
    ['a common password', 'qwerty123456', '--password is on the list of commonly used passwords; choose another'],
    ['the README example password', 'a-long-password', '--password is a password published in the README; choose your own'],
  ])('create-admin refuses %s with usage help (exit 2)', async (_case, password, message) => {
    const r = await cli(db, dataDir, ['create-admin', '--email', 'ops@example.com', '--password', password]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage:');
  });

  it('create-admin creates the admin (exit 0)', async () => {
    const r = await cli(db, dataDir, ['create-admin', '--email', 'Ops@Example.com', '--password', 'ops-Quokka-admin-9']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^admin ready: ops@example.com \(id [0-9a-f-]{36}\)/);
  });

  it('batch runs every portfolio through BatchService.trigger and prints a summary (exit 0)', async () => {
    const r = await cli(db, dataDir, ['batch', '--date', '2025-06-02'], { SEED_DEMO_DATA: 'true' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(': COMPLETED');
    expect(r.stdout).toMatch(/market_data\s+completed/);
    expect(r.stdout).toMatch(/risk_analytics\s+completed\s+3\/3/);
    expect(r.stdout).toContain('portfolios: 3 total, 3 completed, 0 failed');
  }, 60_000);

  it('a weekend date is refused, naming the nearest trading days (exit 2)', async () => {
    const r = await cli(db, dataDir, ['batch', '--date', '2025-06-21']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a trading day (Saturday); nearest trading day: 2025-06-20 or 2025-06-23');
  });

  it('bad options are usage errors (exit 2)', async () => {
    expect((await cli(db, dataDir, ['batch', '--portfolio', 'not-a-uuid'])).code).toBe(2);
    expect((await cli(db, dataDir, ['batch', '--from', '2025-06-02'])).code).toBe(2);
    expect((await cli(db, dataDir, ['batch', '--bogus'])).code).toBe(2);
    expect((await cli(db, dataDir, ['frobnicate'])).code).toBe(2);
  });
});

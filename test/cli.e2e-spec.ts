import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built operator CLI as its own process against the test database. */
function cli(db: TestDatabase, dataDir: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, DATA_DIR: dataDir, JWT_SECRET: 'cli-test-secret-cli-test-secret-0123456', LOG_LEVEL: 'error', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('operator CLI (e2e, real processes)', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: `npm test` builds first (npm run build)');
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

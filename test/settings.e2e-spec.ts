/**
 * Fail fast on bad settings, at the process level: the built server exits
 * non-zero within seconds and names the setting on stderr, before it opens a
 * database or a port.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve('dist/src/main.js');
/** A safety net only: a process that hangs is killed (and the test fails on its signal). */
const EXIT_WITHIN_MS = 60_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

function runServer(env: Record<string, string>, cwd: string): Promise<Exit> {
  // A clean environment: nothing from the developer's shell (JWT_SECRET, DATABASE_URL...) leaks in.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, DATA_DIR: join(cwd, 'data'), PORT: '0', HOST: '127.0.0.1' };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stderr, stdout });
    });
  });
}

describe('settings validation at process start (e2e)', () => {
  let cwd: string;
  beforeAll(() => {
    if (!existsSync(MAIN)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    cwd = mkdtempSync(join(tmpdir(), 'sigmasight-settings-'));
  }, 180_000);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('DATABASE_URL=not-a-url: exits non-zero by itself, naming DATABASE_URL', async () => {
    const r = await runServer({ DATABASE_URL: 'not-a-url' }, cwd);
    expect(r.signal).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(r.stdout).not.toContain('listening');
  });

  it('NODE_ENV=production without JWT_SECRET: exits non-zero, naming JWT_SECRET', async () => {
    const r = await runServer({ NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }, cwd);
    expect(r.signal).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('JWT_SECRET is required when NODE_ENV=production');
    expect(r.stdout).not.toContain('listening');
  });

  it('several bad settings: all of them are named in one go', async () => {
    const r = await runServer({ PORT: 'eighty', LOG_LEVEL: 'loud', BATCH_TIMEZONE: 'Nowhere/Land' }, cwd);
    expect(r.code).not.toBe(0);
    for (const name of ['PORT', 'LOG_LEVEL', 'BATCH_TIMEZONE']) expect(r.stderr).toContain(name);
    expect(r.stderr).toContain('.env.example');
  });

  it('nothing was written to the data directory', () => {
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });
});

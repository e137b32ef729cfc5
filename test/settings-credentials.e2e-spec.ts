/**
 * No default credentials (issue 10, item 2), at the process level: the built
 * server started with NODE_ENV=production refuses demo seeding and published
 * or weak admin passwords, naming the setting, and a production start on the
 * embedded database seeds no account at all.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';

const MAIN = resolve('dist/src/main.js');
const SECRET = 'production-secret-production-secret-0123';

/** Newest modification time of the TypeScript under `dir`. */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(newest, newestSource(path));
    return entry.name.endsWith('.ts') ? Math.max(newest, statSync(path).mtimeMs) : newest;
  }, 0);
}

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>, cwd: string): Started {
  // a clean environment: nothing from the developer's shell leaks in
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, DATA_DIR: join(cwd, 'data'), PORT: '0', HOST: '127.0.0.1' };
  const child = spawn(process.execPath, [MAIN], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The API's URL once the process says it listens; rejects if it exits first. */
function listening(p: Started): Promise<string> {
  return new Promise((done, fail) => {
    const look = () => {
      const line = p.stdout().split('\n').find((l) => l.includes('SigmaSight API listening'));
      if (line) done(JSON.parse(line).url as string);
    };
    p.child.stdout!.on('data', look);
    p.exited.then((code) => fail(new Error(`exited ${code} before listening: ${p.stderr()}${p.stdout()}`)));
    look();
  });
}

describe('no default credentials in production (e2e, real processes)', () => {
  let cwd: string;
  beforeAll(() => {
    if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSource(resolve('src'))) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    }
    cwd = mkdtempSync(join(tmpdir(), 'sigmasight-credentials-'));
  }, 240_000);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  const refuses = async (env: Record<string, string>, message: string) => {
    const p = start({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', ...env }, cwd);
    const code = await p.exited;
    expect(code).not.toBe(0);
    expect(p.stderr()).toContain(message);
    expect(p.stderr()).toContain('.env.example');
    expect(p.stdout()).not.toContain('listening');
  };

  it('default settings (NODE_ENV=production, nothing else): refuses, naming JWT_SECRET', async () => {
    const p = start({ NODE_ENV: 'production' }, cwd);
    expect(await p.exited).not.toBe(0);
    expect(p.stderr()).toContain('JWT_SECRET is required when NODE_ENV=production');
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('SEED_DEMO_DATA=true: refuses, naming SEED_DEMO_DATA', async () => {
    await refuses({ SEED_DEMO_DATA: 'true' }, 'SEED_DEMO_DATA=true is not allowed when NODE_ENV=production');
  });

  it.each(['demo-password', 'admin-password', 'a-long-password'])('ADMIN_PASSWORD=%s (printed in the README): refuses, naming ADMIN_PASSWORD', async (password) => {
    await refuses({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: password }, 'ADMIN_PASSWORD is a password published in the README');
  });

  it('ADMIN_PASSWORD of 11 characters: refuses, naming ADMIN_PASSWORD', async () => {
    await refuses({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'ops-admin-1' }, 'ADMIN_PASSWORD must be at least 12 characters');
  });

  it('a production start on the embedded database seeds nothing: no demo accounts, only the configured admin', async () => {
    const p = start({ NODE_ENV: 'production', JWT_SECRET: SECRET, ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'ops-Quokka-admin-9' }, cwd);
    try {
      const url = await listening(p);
      const login = (email: string, password: string) => request(url).post('/api/v1/auth/login').send({ email, password });
      await login('admin@sigmasight.local', 'admin-password').expect(401);
      await login('demo@sigmasight.local', 'demo-password').expect(401);
      const ops = await login('ops@example.com', 'ops-Quokka-admin-9').expect(200);
      expect(ops.body.user.role).toBe('admin');
      expect(p.stdout()).not.toContain('Demo data seeded');
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }, 180_000);
});

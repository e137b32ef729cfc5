import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildApp } from '../../src/bootstrap';
import { configureRootLogger } from '../../src/common/logging';
import { AppSettings, loadSettings } from '../../src/config/settings';
import { UsersService } from '../../src/users/users.service';
import { ContractRecorder, installContractCheck } from './contract';
import { createTestDatabase, TestDatabase } from './test-database';

export const API = '/api/v1';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  db: TestDatabase;
  /** Every answer checked against the OpenAPI document; close() fails on a violation. */
  contract: ContractRecorder;
  close(): Promise<void>;
}

/**
 * Closes an app and outlasts pg-boss's trailing clean-up: after stop() it
 * still polls once a second (lazily requiring a module) until its workers are
 * gone, and Jest refuses a require after the test file's environment is torn down.
 */
export async function closeApp(app: { close(): Promise<void> }): Promise<void> {
  await app.close();
  // pg-boss checks its stopping workers once a second; on the embedded database a worker's
  // last fetch can take over a second to end, so give that loop one more round there
  await new Promise((r) => setTimeout(r, process.env.TEST_DATABASE_URL ? 1100 : 2100));
}

/** Settings of a test instance with its own data directory; `env` overrides them (as environment variables). */
export function testSettings(prefix: string, env: Record<string, string> = {}): { settings: AppSettings; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), `sigmasight-${prefix}-`));
  const settings = loadSettings({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    BATCH_CRON_ENABLED: 'false',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    REGISTER_RATE_LIMIT_PER_HOUR: '100000',
    ...env,
  });
  return { settings, dataDir };
}

/** The real app on a fresh database; `env` overrides settings (as environment variables). */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { settings, dataDir } = testSettings('test', env);
  configureRootLogger(settings.logLevel);
  const db = await createTestDatabase();
  let app: NestExpressApplication;
  try {
    app = await buildApp(settings, db.url, false);
  } catch (e) {
    await db.drop();
    throw e;
  }
  const contract = installContractCheck(app);
  return {
    app,
    http: app.getHttpServer(),
    db,
    contract,
    close: async () => {
      await closeApp(app);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
      contract.assertClean();
    },
  };
}

/** Passwords of signUp() and signUpAdmin(): 12+ characters and not on the common-password list. */
export const USER_PASSWORD = 'test-user-Quokka-42';
export const ADMIN_PASSWORD = 'test-admin-Quokka-42';

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}-${process.pid}-${Date.now()}-${++counter}@example.com`;

/** Registers a new user and returns its bearer token and id. */
export async function signUp(t: TestApp, email = uniqueEmail()): Promise<{ token: string; id: string; email: string }> {
  await request(t.http).post(`${API}/auth/register`).send({ email, password: USER_PASSWORD, full_name: 'Test User' }).expect(201);
  const res = await request(t.http).post(`${API}/auth/login`).send({ email, password: USER_PASSWORD }).expect(200);
  return { token: res.body.access_token, id: res.body.user.id, email };
}

/** Creates (or promotes) an admin directly and logs in. */
export async function signUpAdmin(t: TestApp, email = uniqueEmail('admin')): Promise<{ token: string; id: string; email: string }> {
  await t.app.get(UsersService).upsertAdmin(email, ADMIN_PASSWORD);
  const res = await request(t.http).post(`${API}/auth/login`).send({ email, password: ADMIN_PASSWORD }).expect(200);
  return { token: res.body.access_token, id: res.body.user.id, email };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

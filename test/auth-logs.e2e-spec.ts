/**
 * Secrets never in logs (issue 10, item 4): a statement that fails while it
 * carries an email and a scrypt hash is logged (TypeORM's logger and the error
 * filter both write a line) without either, and without the password.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { rmSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildApp } from '../src/bootstrap';
import { configureRootLogger } from '../src/common/logging';
import { UsersService } from '../src/users/users.service';
import { API, closeApp, testSettings, uniqueEmail } from './helpers/test-app';
import { createTestDatabase, TestDatabase } from './helpers/test-database';

const PASSWORD = 'logged-Quokka-secret-77';

describe('secrets in logs (e2e)', () => {
  let app: NestExpressApplication;
  let db: TestDatabase;
  let dataDir: string;
  const lines: string[] = [];
  beforeAll(async () => {
    const test = testSettings('logs', { LOG_LEVEL: 'debug' });
    dataDir = test.dataDir;
    configureRootLogger('debug', { write: (line: string) => void lines.push(line) });
    db = await createTestDatabase();
    app = await buildApp(test.settings, db.url, false);
    // a constraint only this test has, so an INSERT carrying an email and a password hash fails
    await app.get(DataSource).query(`ALTER TABLE users ADD CONSTRAINT test_refuses_boom CHECK (full_name <> 'Boom')`);
  });
  afterAll(async () => {
    await closeApp(app);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
    configureRootLogger('silent');
  });

  const log = () => lines.join('');
  const expectClean = (email: string) => {
    const text = log();
    expect(text).not.toContain(email);
    expect(text).not.toContain(email.split('@')[0]);
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain(PASSWORD);
  };

  it('a failed registration INSERT (500) is logged by TypeORM and the error filter without email, hash or password', async () => {
    const email = uniqueEmail('secret');
    const res = await request(app.getHttpServer())
      .post(`${API}/auth/register`)
      .set('Authorization', 'Bearer not-a-token-but-still-a-secret')
      .send({ email, password: PASSWORD, full_name: 'Boom' })
      .expect(500);
    expect(res.body).toEqual({ status_code: 500, error: 'Internal Server Error', detail: 'Internal server error' });
    const text = log();
    // the lines are there (the test is not passing on an empty log) ...
    expect(text).toContain('statement failed');
    expect(text).toContain('INSERT INTO users');
    expect(text).toContain('unhandled error');
    expect(text).toContain('test_refuses_boom');
    // ... and carry none of the data
    expectClean(email);
    expect(text).not.toContain('not-a-token-but-still-a-secret');
  });

  it('a failed UsersService.create is logged without its parameters', async () => {
    const email = uniqueEmail('direct');
    const before = lines.length;
    await expect(app.get(UsersService).create({ email, password: PASSWORD, fullName: 'Boom' })).rejects.toThrow(/test_refuses_boom/);
    expect(lines.slice(before).join('')).toContain('statement failed');
    expectClean(email);
  });
});

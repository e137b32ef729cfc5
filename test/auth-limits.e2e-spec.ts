/**
 * Login and registration limits (issue 10, item 5), kept in PostgreSQL so all
 * API processes share them: per-address limits, the per-account backoff that
 * never locks the owner out, and TRUST_PROXY deciding which address counts.
 * Client addresses come from X-Forwarded-For (TRUST_PROXY=true on the first app).
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { accountKey } from '../src/auth/auth-rate-limiter';
import { buildApp } from '../src/bootstrap';
import { UsersService } from '../src/users/users.service';
import { API, closeApp, startTestApp, TestApp, testSettings, uniqueEmail } from './helpers/test-app';

const LOGIN_LIMIT = 5;
const BACKOFF_CAP = 30;
const PASSWORD = 'owner-Quokka-password-1';

describe('login and registration limits (e2e)', () => {
  let t: TestApp;
  /** A second API process on the same database, without TRUST_PROXY. */
  let other: NestExpressApplication;
  const env = { TRUST_PROXY: 'true', LOGIN_RATE_LIMIT_PER_MINUTE: String(LOGIN_LIMIT), LOGIN_BACKOFF_MAX_SECONDS: String(BACKOFF_CAP), REGISTER_RATE_LIMIT_PER_HOUR: '3' };
  beforeAll(async () => {
    t = await startTestApp(env);
    other = await buildApp(testSettings('limits-other', { ...env, TRUST_PROXY: 'false' }).settings, t.db.url, false);
  });
  afterAll(async () => {
    await closeApp(other);
    await t.close();
  });

  const loginFrom = (address: string, email: string, password: string, server = t.http) =>
    request(server).post(`${API}/auth/login`).set('X-Forwarded-For', address).send({ email, password });
  const newAccount = async () => {
    const email = uniqueEmail('owner');
    await t.app.get(UsersService).create({ email, password: PASSWORD, fullName: 'Owner' });
    return email;
  };
  const retryAfter = (res: request.Response) => {
    expect(res.body).toMatchObject({ status_code: 429, error: 'Too Many Requests' });
    const seconds = Number(res.headers['retry-after']);
    expect(res.body.retry_after_seconds).toBe(seconds);
    return seconds;
  };

  describe('per-account backoff', () => {
    it('two free failures, then 429 with Retry-After; the owner from an address that signed in before still gets in', async () => {
      const email = await newAccount();
      await loginFrom('198.51.100.1', email, PASSWORD).expect(200); // the owner's usual address
      for (let i = 0; i < 3; i++) await loginFrom('203.0.113.10', email, 'guess-number-' + i).expect(401);
      const blocked = await loginFrom('203.0.113.10', email, 'guess-number-3').expect(429);
      expect(retryAfter(blocked)).toBeGreaterThanOrEqual(1);
      // as if the attack went on: the account stays in backoff for the rest of the test
      await t.app.get(DataSource).query(`UPDATE auth_rate_limits SET blocked_until = now() + interval '1 minute' WHERE key = $1`, [`account:${accountKey(email)}`]);
      // another address waits too, even with the right password: the backoff is the account's
      retryAfter(await loginFrom('203.0.113.11', email, PASSWORD).expect(429));
      await loginFrom('198.51.100.1', email, PASSWORD).expect(200);
      // the owner's sign-in does not reset the attacker's backoff
      retryAfter(await loginFrom('203.0.113.10', email, 'guess-number-4').expect(429));
    });

    it('the wait is capped at LOGIN_BACKOFF_MAX_SECONDS however many failures came before', async () => {
      const email = await newAccount();
      await loginFrom('203.0.113.20', email, 'first-guess-xx').expect(401);
      // as if 40 failures in a row had happened and the last wait had run out
      await t.app.get(DataSource).query(`UPDATE auth_rate_limits SET hits = 40, blocked_until = now() WHERE key = $1`, [`account:${accountKey(email)}`]);
      await loginFrom('203.0.113.20', email, 'next-guess-xxx').expect(401);
      const seconds = retryAfter(await loginFrom('203.0.113.21', email, 'another-guess-x').expect(429));
      expect(seconds).toBeGreaterThan(BACKOFF_CAP / 2);
      expect(seconds).toBeLessThanOrEqual(BACKOFF_CAP);
    });

    it('an address that fails loses its pass: a trusted address that guesses waits like any other', async () => {
      const email = await newAccount();
      await loginFrom('198.51.100.2', email, PASSWORD).expect(200);
      for (let i = 0; i < 3; i++) await loginFrom('203.0.113.30', email, 'guess-number-' + i).expect(401);
      await loginFrom('198.51.100.2', email, 'owner-typo-password').expect(401);
      // the account stays in backoff however slow this machine is; what is under test is the lost pass
      await t.app.get(DataSource).query(`UPDATE auth_rate_limits SET blocked_until = now() + interval '1 minute' WHERE key = $1`, [`account:${accountKey(email)}`]);
      retryAfter(await loginFrom('198.51.100.2', email, PASSWORD).expect(429));
    });

    it('parallel guesses cannot share one slot', async () => {
      const email = await newAccount();
      for (let i = 0; i < 3; i++) await loginFrom(`203.0.113.4${i}`, email, 'guess-number-' + i).expect(401);
      await t.app.get(DataSource).query(`UPDATE auth_rate_limits SET blocked_until = now() WHERE key = $1`, [`account:${accountKey(email)}`]);
      const answers = await Promise.all([0, 1, 2, 3, 4].map((i) => loginFrom(`203.0.113.5${i}`, email, 'parallel-guess-' + i)));
      expect(answers.map((r) => r.status).sort()).toEqual([401, 429, 429, 429, 429]);
    });
  });

  describe('per-address limits, shared by every API process', () => {
    it(`login: ${LOGIN_LIMIT} attempts a minute per address over both processes, then 429; other addresses go on`, async () => {
      // no X-Forwarded-For: both processes see the loopback address
      const attempt = (i: number) => request(i % 2 ? other.getHttpServer() : t.http).post(`${API}/auth/login`).send({ email: uniqueEmail('nobody'), password: 'wrong-password-x' });
      for (let i = 0; i < LOGIN_LIMIT; i++) await attempt(i).expect(401);
      const seconds = retryAfter(await attempt(LOGIN_LIMIT).expect(429));
      expect(seconds).toBeLessThanOrEqual(60);
      retryAfter(await attempt(LOGIN_LIMIT + 1).expect(429));
      await loginFrom('192.0.2.77', uniqueEmail('nobody'), 'wrong-password-x').expect(401);
    });

    it('TRUST_PROXY=false ignores X-Forwarded-For: a forged header does not escape the limit', async () => {
      // the loopback address is over its limit after the test above
      retryAfter(await loginFrom('192.0.2.99', uniqueEmail('nobody'), 'wrong-password-x', other.getHttpServer()).expect(429));
      await loginFrom('192.0.2.99', uniqueEmail('nobody'), 'wrong-password-x').expect(401);
    });

    it('registration: 3 an hour per address (REGISTER_RATE_LIMIT_PER_HOUR), then 429 with Retry-After', async () => {
      const register = (address: string) =>
        request(t.http).post(`${API}/auth/register`).set('X-Forwarded-For', address).send({ email: uniqueEmail('reg'), password: PASSWORD, full_name: 'Reg' });
      for (let i = 0; i < 3; i++) await register('192.0.2.10').expect(201);
      const seconds = retryAfter(await register('192.0.2.10').expect(429));
      expect(seconds).toBeGreaterThan(60);
      expect(seconds).toBeLessThanOrEqual(3600);
      await register('192.0.2.11').expect(201);
    });
  });
});

import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectErrorShape, expectNoSecrets } from './fixtures/positions';
import { DataSource } from 'typeorm';
import { ADMIN_PASSWORD, API, bearer, signUp, signUpAdmin, startTestApp, TestApp, uniqueEmail, USER_PASSWORD } from './helpers/test-app';

const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';
const PASSWORD = 'Ada-analytical-engine-1843';

describe('auth (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const register = (body: object) => request(t.http).post(`${API}/auth/register`).send(body);
  const login = (body: object) => request(t.http).post(`${API}/auth/login`).send(body);

  describe('POST /auth/register', () => {
    it('201 with the user, email lower-cased, role user, no password', async () => {
      const email = uniqueEmail('Reg').replace('reg', 'REG');
      const res = await register({ email, password: PASSWORD, full_name: 'Ada Lovelace' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: email.toLowerCase(),
        full_name: 'Ada Lovelace',
        role: 'user',
        created_at: expect.any(String),
      });
      expectNoSecrets(res.body);
    });

    it.each([
      ['a malformed email', { email: 'not-an-email', password: PASSWORD, full_name: 'X' }, 'email'],
      ['a short password', { email: 'short@example.com', password: 'short', full_name: 'X' }, 'password'],
      ['an 11-character password', { email: 'short@example.com', password: 'abcdefghijk', full_name: 'X' }, 'password'],
      ['a common password', { email: 'common@example.com', password: '123456789012', full_name: 'X' }, 'password'],
      ['a missing full_name', { email: 'nofn@example.com', password: PASSWORD }, 'full_name'],
      ['an unknown field', { email: 'role@example.com', password: PASSWORD, full_name: 'X', role: 'admin' }, 'role'],
    ])('400 for %s, naming the field', async (_case, body, field) => {
      const res = await register(body).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.error).toBe('Bad Request');
      expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
    });

    it('a taken email (in any case) answers like a new one, and the account stays the first owner\'s', async () => {
      const email = uniqueEmail('dup');
      const first = await register({ email, password: PASSWORD, full_name: 'First' }).expect(201);
      const same = await register({ email, password: 'someone-elses-Password-9', full_name: 'Second' }).expect(201);
      const upper = await register({ email: email.toUpperCase(), password: 'someone-elses-Password-9', full_name: 'Third' }).expect(201);
      for (const res of [same, upper]) {
        expect(Object.keys(res.body).sort()).toEqual(Object.keys(first.body).sort());
        expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email, full_name: expect.any(String), role: 'user', created_at: expect.any(String) });
        expect(res.body.id).not.toBe(first.body.id);
      }
      const owner = await login({ email, password: PASSWORD }).expect(200);
      expect(owner.body.user).toMatchObject({ id: first.body.id, full_name: 'First' });
      await login({ email, password: 'someone-elses-Password-9' }).expect(401);
    });
  });

  describe('POST /auth/login', () => {
    let email: string;
    beforeAll(async () => {
      email = uniqueEmail('login');
      await register({ email, password: PASSWORD, full_name: 'Grace Hopper' }).expect(201);
    });

    it('200 with {access_token, token_type: bearer, expires_in, user}', async () => {
      const res = await login({ email, password: PASSWORD }).expect(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'bearer',
        expires_in: 3600,
        user: { id: expect.any(String), email, full_name: 'Grace Hopper', role: 'user', created_at: expect.any(String) },
      });
      expectNoSecrets(res.body);
    });

    it('accepts the email in any case', async () => {
      await login({ email: email.toUpperCase(), password: PASSWORD }).expect(200);
    });

    it('401 for a wrong password and for an unknown email, with the same detail', async () => {
      const wrong = await login({ email: (await signUp(t)).email, password: 'wrong-password' }).expect(401);
      const unknown = await login({ email: uniqueEmail('ghost'), password: PASSWORD }).expect(401);
      expect(wrong.body).toEqual({ status_code: 401, error: 'Unauthorized', detail: 'Invalid email or password' });
      expect(unknown.body).toEqual(wrong.body);
    });

    it.each([
      ['no password', { email: 'x@example.com' }, 'password'],
      ['a malformed email', { email: 'nope', password: PASSWORD }, 'email'],
      ['an unknown field', { email: 'x@example.com', password: PASSWORD, remember: true }, 'remember'],
    ])('400 for %s', async (_case, body, field) => {
      const res = await login(body).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('400 for malformed JSON', async () => {
      const res = await request(t.http).post(`${API}/auth/login`).set('content-type', 'application/json').send('{"email":').expect(400);
      expect(res.body).toEqual({ status_code: 400, error: 'Bad Request', detail: 'Malformed JSON body' });
    });
  });

  describe('GET /auth/me', () => {
    let user: { token: string; id: string; email: string };
    beforeAll(async () => {
      user = await signUp(t);
    });
    const jwt = new JwtService({ secret: TEST_SECRET });
    const me = (headers: Record<string, string> = {}) => request(t.http).get(`${API}/auth/me`).set(headers);
    const unauthorized = { status_code: 401, error: 'Unauthorized', detail: 'Missing or invalid bearer token' };

    it('200 with {id, email, full_name, role} and no password', async () => {
      const res = await me(bearer(user.token)).expect(200);
      expect(res.body).toMatchObject({ id: user.id, email: user.email, full_name: 'Test User', role: 'user' });
      expectNoSecrets(res.body);
    });

    it('401 without a token', async () => {
      expect((await me().expect(401)).body).toEqual(unauthorized);
    });

    it('401 for a garbage token and for a token without the Bearer scheme', async () => {
      expect((await me(bearer('garbage.token.here')).expect(401)).body).toEqual(unauthorized);
      await me({ Authorization: user.token }).expect(401);
    });

    it('401 for an expired token (the same token unexpired is accepted)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: user.id, email: user.email, role: 'user', tv: 0, iat: now - 3720 };
      await me(bearer(jwt.sign({ ...claims, exp: now + 600 }))).expect(200);
      const expired = jwt.sign({ ...claims, exp: now - 120 });
      expect((await me(bearer(expired)).expect(401)).body).toEqual(unauthorized);
    });

    it('401 for a token signed with another secret, or with alg none', async () => {
      const forged = new JwtService({ secret: 'another-secret-another-secret-another' }).sign({ sub: user.id, email: user.email, role: 'admin', tv: 0, exp: Math.floor(Date.now() / 1000) + 600 });
      await me(bearer(forged)).expect(401);
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: user.id, email: user.email, role: 'admin' })}.`;
      await me(bearer(none)).expect(401);
    });

    it('a role change by any path (here SQL) revokes older tokens; a new login carries the new role', async () => {
      const admin = await signUpAdmin(t);
      const promoted = await signUp(t);
      const current = (token: string) => request(t.http).get(`${API}/admin/batch/current`).set(bearer(token));
      await current(admin.token).expect(200);
      await t.app.get(DataSource).query(`UPDATE users SET role = 'user' WHERE id = $1`, [admin.id]);
      await current(admin.token).expect(401);
      const demoted = await login({ email: admin.email, password: ADMIN_PASSWORD }).expect(200);
      await current(demoted.body.access_token).expect(403);
      await t.app.get(DataSource).query(`UPDATE users SET role = 'admin' WHERE id = $1`, [promoted.id]);
      await current(promoted.token).expect(401);
      const relogged = await login({ email: promoted.email, password: USER_PASSWORD }).expect(200);
      await current(relogged.body.access_token).expect(200);
    });

    it('a role read from the database, not the token: a token claiming admin for a user gets 403', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claimsAdmin = jwt.sign({ sub: user.id, email: user.email, role: 'admin', tv: 0, exp: now + 600 });
      await request(t.http).get(`${API}/admin/batch/current`).set(bearer(claimsAdmin)).expect(403);
    });

    it('401 for a valid token of a user that does not exist', async () => {
      const ghost = jwt.sign({ sub: randomUUID(), email: 'ghost@example.com', role: 'user', tv: 0, exp: Math.floor(Date.now() / 1000) + 600 });
      const res = await me(bearer(ghost)).expect(401);
      expectErrorShape(res.body, 401);
    });
  });
});

describe('auth with registration closed and a login limit of 3 per minute (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REGISTRATION_OPEN: 'false', LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('POST /auth/register → 403 when REGISTRATION_OPEN=false', async () => {
    const res = await request(t.http)
      .post(`${API}/auth/register`)
      .send({ email: uniqueEmail('closed'), password: PASSWORD, full_name: 'Closed' })
      .expect(403);
    expect(res.body).toEqual({ status_code: 403, error: 'Forbidden', detail: 'Registration is closed' });
  });

  it('POST /auth/login → 429 with Retry-After once over the limit', async () => {
    // a new email each time: this is the per-address limit, not the per-account backoff
    const attempt = () => request(t.http).post(`${API}/auth/login`).send({ email: uniqueEmail('nobody'), password: 'wrong-password' });
    for (let i = 0; i < 3; i++) await attempt().expect(401);
    const res = await attempt().expect(429);
    expect(res.body).toMatchObject({ status_code: 429, error: 'Too Many Requests', detail: expect.any(String) });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body.retry_after_seconds).toBe(retryAfter);
  });

  it('counts per client address: a different email from the same address is limited too', async () => {
    await request(t.http).post(`${API}/auth/login`).send({ email: 'someone-else@example.com', password: 'wrong-password' }).expect(429);
  });
});

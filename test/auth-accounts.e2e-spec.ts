/**
 * Accounts (issue 10, item 5): registration that does not reveal who has an
 * account, the password rules, password change and token revocation, tokens
 * that must expire, and no-store on API answers.
 */
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { UsersService } from '../src/users/users.service';
import { expectErrorShape } from './fixtures/positions';
import { API, bearer, signUp, startTestApp, TestApp, uniqueEmail, USER_PASSWORD } from './helpers/test-app';

const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

describe('accounts (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const register = (body: object) => request(t.http).post(`${API}/auth/register`).send(body);
  const login = (body: object) => request(t.http).post(`${API}/auth/login`).send(body);
  const me = (token: string) => request(t.http).get(`${API}/auth/me`).set(bearer(token));
  const changePassword = (token: string, body: object) => request(t.http).post(`${API}/auth/password`).set(bearer(token)).send(body);
  const accounts = async (email: string) => Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM users WHERE email = $1`, [email]))[0].n);

  describe('registration does not tell whether an email has an account', () => {
    it('a new and a taken email get the same status and fields; the taken one is not changed', async () => {
      const taken = uniqueEmail('taken');
      await register({ email: taken, password: USER_PASSWORD, full_name: 'Owner' }).expect(201);
      const before = await t.app.get(DataSource).query(`SELECT password_hash, full_name, token_version FROM users WHERE email = $1`, [taken]);
      const fresh = await register({ email: uniqueEmail('fresh'), password: 'another-Quokka-password', full_name: 'Someone' });
      const again = await register({ email: taken, password: 'another-Quokka-password', full_name: 'Someone' });
      expect(again.status).toBe(fresh.status);
      expect(Object.keys(again.body).sort()).toEqual(Object.keys(fresh.body).sort());
      expect(again.body).toMatchObject({ email: taken, full_name: 'Someone', role: 'user' });
      expect(await accounts(taken)).toBe(1);
      expect(await t.app.get(DataSource).query(`SELECT password_hash, full_name, token_version FROM users WHERE email = $1`, [taken])).toEqual(before);
      await login({ email: taken, password: USER_PASSWORD }).expect(200);
    });

    it('a concurrent double registration creates one account and answers 201 twice', async () => {
      const email = uniqueEmail('race');
      const [a, b] = await Promise.all([0, 1].map(() => register({ email, password: USER_PASSWORD, full_name: 'Racer' })));
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(await accounts(email)).toBe(1);
    });
  });

  describe('password rules (>= 12 characters, not a common password)', () => {
    it.each([
      ['11 characters', 'abcdefghijk', 'password must be at least 12 characters'],
      ['a common password', 'qwerty123456', 'password is on the list of commonly used passwords; choose another'],
      ['a common password in other case', 'QWERTY123456', 'password is on the list of commonly used passwords; choose another'],
    ])('400 for %s, with a clear message, and nothing stored', async (_case, password, message) => {
      const email = uniqueEmail('weak');
      const res = await register({ email, password, full_name: 'Weak' }).expect(400);
      expectErrorShape(res.body, 400);
      expect(res.body.errors).toEqual([{ field: 'password', message }]);
      expect(await accounts(email)).toBe(0);
    });

    it('12 characters not on the list are accepted', async () => {
      await register({ email: uniqueEmail('ok'), password: 'kx7-tundra-q', full_name: 'Ok' }).expect(201);
    });
  });

  describe('POST /auth/password', () => {
    it('204: the new password works, the old one and every token issued before do not', async () => {
      const user = await signUp(t);
      const second = (await login({ email: user.email, password: USER_PASSWORD }).expect(200)).body.access_token;
      await changePassword(user.token, { current_password: USER_PASSWORD, new_password: 'brand-new-Quokka-77' }).expect(204);
      await me(user.token).expect(401);
      await me(second).expect(401);
      await login({ email: user.email, password: USER_PASSWORD }).expect(401);
      const fresh = (await login({ email: user.email, password: 'brand-new-Quokka-77' }).expect(200)).body.access_token;
      await me(fresh).expect(200);
    });

    it('400 for a wrong current password, a weak or unchanged new one; the password and tokens stay', async () => {
      const user = await signUp(t);
      const wrong = await changePassword(user.token, { current_password: 'not-my-password-at-all', new_password: 'brand-new-Quokka-77' }).expect(400);
      expect(wrong.body).toMatchObject({ status_code: 400, errors: [{ field: 'current_password', message: 'current_password is incorrect' }] });
      const weak = await changePassword(user.token, { current_password: USER_PASSWORD, new_password: 'password1234' }).expect(400);
      expect(weak.body.errors).toEqual([{ field: 'new_password', message: 'new_password is on the list of commonly used passwords; choose another' }]);
      await changePassword(user.token, { current_password: USER_PASSWORD, new_password: USER_PASSWORD }).expect(400);
      await me(user.token).expect(200);
      await login({ email: user.email, password: USER_PASSWORD }).expect(200);
    });

    it('401 without a token', async () => {
      await request(t.http).post(`${API}/auth/password`).send({ current_password: USER_PASSWORD, new_password: 'brand-new-Quokka-77' }).expect(401);
    });
  });

  describe('tokens', () => {
    const jwt = new JwtService({ secret: TEST_SECRET });

    it('a correctly signed token without exp is rejected (the same token with exp is accepted)', async () => {
      const user = await signUp(t);
      const claims = { sub: user.id, email: user.email, role: 'user', tv: 0 };
      await me(jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })).expect(200);
      const forever = jwt.sign(claims);
      expect(JSON.parse(Buffer.from(forever.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
      await me(forever).expect(401);
    });

    it('a token without the token version is rejected', async () => {
      const user = await signUp(t);
      await me(jwt.sign({ sub: user.id, email: user.email, role: 'user', exp: Math.floor(Date.now() / 1000) + 600 })).expect(401);
    });

    it('a promotion through UsersService (the CLI create-admin path) revokes the tokens issued before', async () => {
      const user = await signUp(t);
      await me(user.token).expect(200);
      await t.app.get(UsersService).upsertAdmin(user.email, 'promoted-Quokka-admin-1');
      await me(user.token).expect(401);
      const relogged = await login({ email: user.email, password: 'promoted-Quokka-admin-1' }).expect(200);
      expect(relogged.body.user.role).toBe('admin');
      await request(t.http).get(`${API}/admin/batch/current`).set(bearer(relogged.body.access_token)).expect(200);
    });
  });

  describe('Cache-Control: no-store on API answers', () => {
    it('on authenticated answers, the login answer (a token) and errors', async () => {
      const user = await signUp(t);
      const answers = [
        await me(user.token).expect(200),
        await request(t.http).get(`${API}/portfolio`).set(bearer(user.token)).expect(200),
        await login({ email: user.email, password: USER_PASSWORD }).expect(200),
        await request(t.http).get(`${API}/auth/me`).expect(401),
      ];
      for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
    });
  });
});

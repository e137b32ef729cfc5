/**
 * Every route of the running app against the rules table in authz-rules.ts:
 * anonymous / owner / other user / admin get exactly the declared status.
 */
import { Controller, Get, INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { AppAuthGuard } from '../src/auth/auth.guard';
import { Public, Roles } from '../src/auth/decorators';
import { UsersService } from '../src/users/users.service';
import { JWT_SECRET, JwtStrategy } from '../src/auth/jwt.strategy';
import { HttpErrorFilter } from '../src/common/http-exception.filter';
import { AUTHZ_RULES, Caller, MatrixContext, RouteRule } from './authz-rules';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp, USER_PASSWORD } from './helpers/test-app';
import { registeredRoutes } from './helpers/routes';

const CALLERS: readonly Caller[] = ['anonymous', 'other', 'admin', 'owner'];

describe('authorization matrix (e2e)', () => {
  let t: TestApp;
  let tokens: MatrixContext['tokens'];
  let credentials: MatrixContext['credentials'];
  let shared: { portfolioId: string; positionId: string };

  const fixtures = async () => {
    const portfolioId = (await request(t.http).post(`${API}/portfolio`).set(bearer(tokens.owner)).send({ name: 'Matrix fixture' }).expect(201)).body.id;
    const positionId = (
      await request(t.http)
        .post(`${API}/portfolio/${portfolioId}/positions`)
        .set(bearer(tokens.owner))
        .send({ symbol: 'AAPL', quantity: 10, entry_price: 150, entry_date: '2024-01-02' })
        .expect(201)
    ).body.id;
    return { portfolioId, positionId };
  };

  beforeAll(async () => {
    t = await startTestApp();
    const [owner, other, admin] = await Promise.all([signUp(t), signUp(t), signUpAdmin(t)]);
    tokens = { owner: owner.token, other: other.token, admin: admin.token };
    credentials = { email: owner.email, password: USER_PASSWORD };
    shared = await fixtures();
  });
  afterAll(() => t.close());

  it('every registered route has a rule, and every rule a route', () => {
    const routes = registeredRoutes(t.app);
    const declared = Object.keys(AUTHZ_RULES).sort();
    const withoutRule = routes.filter((r) => !declared.includes(r));
    const withoutRoute = declared.filter((r) => !routes.includes(r));
    expect({ withoutRule, withoutRoute }).toEqual({ withoutRule: [], withoutRoute: [] });
  });

  type Ids = { portfolioId: string; positionId: string };
  const context = (caller: Caller, ids: Ids): MatrixContext => ({ http: t.http as Server, tokens, credentials, caller, ...ids });

  async function call(route: string, rule: RouteRule, caller: Caller, ids: Ids, params: Record<string, string>) {
    const [method, pattern] = route.split(' ');
    const ctx = context(caller, ids);
    const values: Record<string, string> = { id: ids.portfolioId, positionId: ids.positionId, ...params };
    const path = pattern.replace(/:(\w+)/g, (_m, name: string) => {
      if (!(name in values)) throw new Error(`${route}: no value for :${name}; give the rule a params() function`);
      return encodeURIComponent(values[name]);
    });
    let req = request(t.http)[method.toLowerCase() as 'get'](rule.query ? `${path}?${rule.query}` : path);
    if (caller !== 'anonymous') req = req.set(bearer(tokens[caller]));
    const body = typeof rule.body === 'function' ? rule.body(ctx) : rule.body;
    if (rule.contentType) req = req.set('content-type', rule.contentType);
    const res = body === undefined ? await req : await req.send(body);
    return { status: res.status, body: res.body as unknown };
  }

  it.each(Object.entries(AUTHZ_RULES))('%s', async (route, rule) => {
    if (!registeredRoutes(t.app).includes(route)) throw new Error(`${route} is not a registered route`);
    const ids = (rule.fresh ?? route.startsWith('DELETE ')) ? await fixtures() : shared;
    const params = rule.params ? await rule.params(context('owner', ids)) : {};
    const actual: Partial<Record<Caller, number>> = {};
    const bodies: Partial<Record<Caller, unknown>> = {};
    for (const caller of CALLERS) {
      const res = await call(route, rule, caller, ids, params);
      actual[caller] = res.status;
      bodies[caller] = res.body;
    }
    const expected = Object.fromEntries(CALLERS.map((c) => [c, rule[c]]));
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(`${route}\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}\n  bodies   ${JSON.stringify(bodies)}`);
    }
    for (const caller of CALLERS) {
      const status = actual[caller]!;
      if (status >= 400) expect(bodies[caller]).toMatchObject({ status_code: status, error: expect.any(String), detail: expect.any(String) });
    }
  });
});

/**
 * @Roles('admin') itself, on a tiny app with the real guard, strategy and
 * error filter, so it is covered before the first /admin route exists.
 */
describe('@Roles and @Public on the global guard', () => {
  const SECRET = 'test-secret-test-secret-test-secret-0123';

  @Roles('admin')
  @Controller('probe-admin')
  class AdminProbeController {
    @Get()
    list() {
      return { ok: true };
    }

    @Public()
    @Get('open')
    open() {
      return { ok: true };
    }
  }

  @Controller('probe-user')
  class UserProbeController {
    @Get()
    mine() {
      return { ok: true };
    }

    @Roles('admin', 'user')
    @Get('either')
    either() {
      return { ok: true };
    }
  }

  let app: INestApplication;
  const jwt = new JwtService({ secret: SECRET, signOptions: { expiresIn: 600 } });
  // The strategy reads the role from the users table; this guard-only app stands in a two-user directory for it.
  const SUBJECTS: Record<string, string> = {
    user: '00000000-0000-4000-8000-000000000001',
    admin: '00000000-0000-4000-8000-000000000002',
    auditor: '00000000-0000-4000-8000-000000000003',
  };
  const directory = {
    findById: async (id: string) => {
      const role = Object.keys(SUBJECTS).find((r) => SUBJECTS[r] === id);
      return role ? { id, email: `${role}@example.com`, role, tokenVersion: 0 } : null;
    },
  };
  const token = (role: string) => jwt.sign({ sub: SUBJECTS[role], email: `${role}@example.com`, role, tv: 0 });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PassportModule],
      controllers: [AdminProbeController, UserProbeController],
      providers: [
        { provide: JWT_SECRET, useValue: SECRET },
        { provide: UsersService, useValue: directory },
        JwtStrategy,
        { provide: APP_GUARD, useClass: AppAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  const get = (path: string, role?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return role ? req.set(bearer(token(role))) : req;
  };

  it('an admin route: anonymous 401, user 403 with the error shape, admin 200', async () => {
    await get('/probe-admin').expect(401);
    const res = await get('/probe-admin', 'user').expect(403);
    expect(res.body).toEqual({ status_code: 403, error: 'Forbidden', detail: 'Requires role: admin' });
    await get('/probe-admin', 'admin').expect(200);
  });

  it('@Public on a handler opens it inside an admin controller', async () => {
    await get('/probe-admin/open').expect(200);
  });

  it('without @Roles any signed-in role passes; with several roles any of them does', async () => {
    await get('/probe-user').expect(401);
    await get('/probe-user', 'user').expect(200);
    await get('/probe-user', 'admin').expect(200);
    await get('/probe-user/either', 'user').expect(200);
    await get('/probe-user/either', 'auditor').expect(403);
  });
});

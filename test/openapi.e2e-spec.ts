import request from 'supertest';
import { ApiDocument, HTTP_METHODS, schemaCompiler } from './helpers/openapi-schemas';
import { registeredRoutes } from './helpers/routes';
import { API, bearer, signUp, signUpAdmin, startTestApp, TestApp } from './helpers/test-app';

const PUBLIC = new Set(['POST /api/v1/auth/register', 'POST /api/v1/auth/login', 'GET /health', 'GET /health/ready', 'GET /metrics']);
const ERROR_REF = '#/components/schemas/ErrorResponseDto';

type Operation = { security?: unknown[]; requestBody?: { content?: Record<string, { schema?: any }> }; responses: Record<string, { content?: Record<string, { schema?: any }> }> };
const operations = (doc: ApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((m) => ({ route: `${m.toUpperCase()} ${path}`, op: item[m] as Operation })),
  );
const isSecured = (op: Operation) => (op.security ?? []).some((s) => Object.keys(s as object).includes('bearer'));

describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: ApiDocument;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('the UI is served publicly at /docs', async () => {
    const res = await request(t.http).get('/docs/').redirects(1).expect(200);
    expect(res.text).toContain('swagger');
  });

  it('documents every registered route, with bearer auth on every non-public one', () => {
    const missing: string[] = [];
    const unsecured: string[] = [];
    for (const route of registeredRoutes(t.app)) {
      const [method, path] = route.split(' ');
      const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      if (!op) {
        // Prometheus scrapes /metrics; it is not part of the client API document
        if (route !== 'GET /metrics') missing.push(route);
        continue;
      }
      if (!PUBLIC.has(route) && !(op.security ?? []).some((s: object) => Object.keys(s).includes('bearer'))) unsecured.push(route);
    }
    expect(missing).toEqual([]);
    expect(unsecured).toEqual([]);
  });

  // Offenders are listed by route: add @ApiOkResponse/@ApiCreatedResponse/@ApiAcceptedResponse({ type }) (or @ApiNoContentResponse).
  it('every route declares its success response with a schema (or 204 without a body)', () => {
    const offenders: string[] = [];
    for (const { route, op } of operations(doc)) {
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) {
        offenders.push(`${route}: no 2xx response declared`);
        continue;
      }
      for (const [status, response] of success) {
        if (status === '204') {
          if (response.content) offenders.push(`${route} 204: declares a body`);
          continue;
        }
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) offenders.push(`${route} ${status}: no content/schema (add { type: SomeResponse })`);
        for (const [type, m] of media) {
          if (!m.schema || (type === 'application/json' && Object.keys(m.schema).length === 0)) offenders.push(`${route} ${status} ${type}: empty schema`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every route declares its error statuses with the error shape: 401/403 when secured, 400/413 with a body, 400 with parameters', () => {
    const offenders: string[] = [];
    for (const { route, op } of operations(doc)) {
      const needed = new Set<string>();
      if (isSecured(op)) ['401', '403'].forEach((s) => needed.add(s));
      if (op.requestBody) ['400', '413'].forEach((s) => needed.add(s));
      if (((op as { parameters?: Array<{ in: string }> }).parameters ?? []).some((p) => p.in !== 'header')) needed.add('400');
      for (const status of needed) if (!op.responses[status]) offenders.push(`${route}: ${status} not declared`);
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const schema = response.content?.['application/json']?.schema;
        if (schema?.$ref !== ERROR_REF) offenders.push(`${route} ${status}: not the shared error shape (${JSON.stringify(schema ?? null)})`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every request body and response schema compiles (no dangling $ref, valid keywords)', () => {
    const compile = schemaCompiler(doc);
    const broken: string[] = [];
    for (const { route, op } of operations(doc)) {
      const schemas = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => [`request ${type}`, m.schema] as const),
        ...Object.entries(op.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, m]) => [`${status} ${type}`, m.schema] as const)),
      ];
      for (const [where, schema] of schemas) {
        try {
          if (schema) compile(schema);
        } catch (e) {
          broken.push(`${route} ${where}: ${(e as Error).message}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('documents formats and the CSV uploads as text/csv or a multipart binary `file`', () => {
    const components = doc.components!.schemas!;
    expect(components.UserResponse.properties!.email).toMatchObject({ format: 'email' });
    expect(components.PositionResponse.properties!.entry_date).toMatchObject({ format: 'date' });
    expect(components.PositionResponse.properties!.strike_price).toMatchObject({ nullable: true });
    for (const path of [`${API}/portfolio/{id}/import`, `${API}/admin/market-data/prices`]) {
      const content = doc.paths[path].post.requestBody.content;
      expect(Object.keys(content).sort()).toEqual(['multipart/form-data', 'text/csv']);
      expect(content['multipart/form-data'].schema.properties.file).toEqual(expect.objectContaining({ type: 'string', format: 'binary' }));
    }
  });

  it('documents the admin run body as two exclusive forms (one date | a range), which the route enforces', async () => {
    const body = doc.paths[`${API}/admin/batch/run`].post.requestBody.content['application/json'].schema;
    const validate = schemaCompiler(doc)(body);
    expect(validate({})).toBe(true);
    expect(validate({ calculation_date: '2025-06-02', force: true })).toBe(true);
    expect(validate({ start_date: '2025-05-01', end_date: '2025-05-30' })).toBe(true);
    expect(validate({ calculation_date: '2025-06-02', start_date: '2025-05-01', end_date: '2025-05-30' })).toBe(false);
    expect(validate({ start_date: '2025-05-01' })).toBe(false);

    // the runtime agrees: a mix is a 400 in the error shape, and the contract check saw it as documented
    const admin = await signUpAdmin(t);
    const res = await request(t.http)
      .post(`${API}/admin/batch/run`)
      .set(bearer(admin.token))
      .send({ calculation_date: '2025-06-02', start_date: '2025-05-01', end_date: '2025-05-30' })
      .expect(400);
    expect(res.body).toMatchObject({ status_code: 400, error: 'Bad Request' });
    expect(res.body.detail).toMatch(/either calculation_date or start_date\/end_date/);
  });

  describe('the contract check every test app carries', () => {
    it('accepts a documented answer and rejects drift: an extra field, a wrong format, an undocumented status or route', async () => {
      const user = await signUp(t);
      const me = await request(t.http).get(`${API}/auth/me`).set(bearer(user.token)).expect(200);
      const check = (status: number, body: unknown, path = `${API}/auth/me`) =>
        t.contract.checker.check({ method: 'GET', path, status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
      expect(check(200, me.body)).toBeNull();
      expect(check(200, { ...me.body, password_hash: 'x' })).toMatch(/additional/);
      expect(check(200, { ...me.body, id: 'not-a-uuid' })).toMatch(/format/);
      expect(check(200, { ...me.body, role: 'root' })).toMatch(/allowed values/);
      expect(check(418, { status_code: 418, error: 'x', detail: 'y' })).toMatch(/not documented/);
      expect(check(401, { message: 'Unauthorized' })).toMatch(/does not match/);
      expect(check(200, {}, `${API}/nowhere`)).toMatch(/not in the document/);
      expect(check(404, { status_code: 404, error: 'Not Found', detail: 'Cannot GET' }, `${API}/nowhere`)).toBeNull();
      expect(t.contract.checker.check({ method: 'GET', path: '/health', status: 200, contentType: 'text/plain', body: 'ok' })).toBeNull();
    });

    it('has seen no violation so far in this file', () => {
      expect(t.contract.violations).toEqual([]);
    });
  });
});

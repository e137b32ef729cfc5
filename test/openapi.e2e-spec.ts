import request from 'supertest';
import { registeredRoutes } from './helpers/routes';
import { startTestApp, TestApp } from './helpers/test-app';

const PUBLIC = new Set(['POST /api/v1/auth/register', 'POST /api/v1/auth/login', 'GET /health', 'GET /health/ready', 'GET /metrics']);

describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, { security?: unknown[] }>> };
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
      if (!PUBLIC.has(route) && !(op.security ?? []).some((s) => Object.keys(s as object).includes('bearer'))) unsecured.push(route);
    }
    expect(missing).toEqual([]);
    expect(unsecured).toEqual([]);
  });
});

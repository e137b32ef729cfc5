import type { INestApplication } from '@nestjs/common';

interface ExpressLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: ExpressLayer[] };
}

/**
 * `METHOD /path` of every route registered on the Express app (express 5:
 * `app.router.stack`). Layers answering many methods are Nest's not-found
 * handlers for prefix-excluded paths, not routes; /docs is the OpenAPI UI.
 */
export function registeredRoutes(app: INestApplication): string[] {
  const found = new Set<string>();
  const walk = (stack: ExpressLayer[]) => {
    for (const layer of stack) {
      if (!layer.route) {
        if (Array.isArray(layer.handle?.stack)) walk(layer.handle.stack);
        continue;
      }
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      if (methods.length !== 1) continue;
      const path = String(layer.route.path);
      if (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-')) continue;
      found.add(`${methods[0].toUpperCase()} ${path}`);
    }
  };
  walk(app.getHttpAdapter().getInstance().router.stack);
  return [...found].sort();
}


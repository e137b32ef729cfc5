import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_DESCRIPTIONS, ERROR_SCHEMA, ErrorResponseDto, FieldErrorDto } from './api-errors';

type Operation = {
  security?: Array<Record<string, unknown>>;
  requestBody?: unknown;
  parameters?: Array<{ in: string; name: string; schema?: { format?: string } }>;
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** The API document the app serves at /docs/openapi.json (tests build the same one). */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('SigmaSight API')
    .setDescription('Portfolio risk analytics: portfolios, positions, batch runs and analytics. Bearer token from POST /api/v1/auth/login.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return completeOpenApiDocument(SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto, FieldErrorDto] }));
}

const errorResponse = (status: number) => ({
  description: ERROR_DESCRIPTIONS[status] ?? 'Error',
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
});

/**
 * Adds the errors every route of a kind can return, so controllers declare
 * only their own: 401/403 (the global guard) on every route with bearer
 * security, 400/413 (the body parsers and the validation pipe) on every route
 * taking a body, 400 on every route with path or query parameters (the pipes).
 * A 4xx/5xx declared without a JSON body gets the shared error shape; path
 * ids get `format: uuid`.
 */
export function completeOpenApiDocument(doc: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const add = (status: number) => {
        op.responses[String(status)] ??= errorResponse(status);
      };
      if ((op.security ?? []).some((s) => 'bearer' in s)) [401, 403].forEach(add);
      if (op.requestBody) [400, 413].forEach(add);
      if ((op.parameters ?? []).some((p) => p.in === 'path' || p.in === 'query')) add(400);
      for (const [status, response] of Object.entries(op.responses)) {
        // errors are JSON whatever the route produces (an event stream's 404 too)
        if (Number(status) >= 400 && !response.content?.['application/json']) {
          op.responses[status] = { ...errorResponse(Number(status)), description: response.description ?? errorResponse(Number(status)).description };
        }
      }
      for (const p of op.parameters ?? []) {
        // every path parameter of this API is an id checked by ParseUUIDPipe
        if (p.in === 'path' && /(^id|Id|_id)$/.test(p.name) && p.schema && !p.schema.format) p.schema.format = 'uuid';
      }
    }
  }
  return doc;
}

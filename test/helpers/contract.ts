import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ValidateFunction } from 'ajv';
import { createApiDocument } from '../../src/common/openapi-document';
import { ApiDocument, mediaType, pathMatchers, schemaCompiler } from './openapi-schemas';

/** The document and its UI, and the Prometheus scrape (deliberately not part of the client API document). */
const OUTSIDE_DOCUMENT = /^\/(docs([/-].*)?|metrics)$/;

/** Answers whose body is not JSON to check: exempt by content type only. */
const EXEMPT_TYPES = new Set(['text/event-stream', 'text/plain',
  // the web console's static files (src/console/console-static.ts): not API answers
  'text/html', 'text/javascript', 'application/javascript', 'text/css']);

export interface ObservedResponse {
  method: string;
  /** The request path without the query string. */
  path: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

/**
 * Checks answers against the OpenAPI document: the (method, path template,
 * status) must be documented, and a JSON body must match the documented
 * schema. Returns the violation, or null.
 */
export class ContractChecker {
  private readonly compile: ReturnType<typeof schemaCompiler>;
  private readonly matchers: ReturnType<typeof pathMatchers>;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly doc: ApiDocument) {
    this.compile = schemaCompiler(doc);
    this.matchers = pathMatchers(doc);
  }

  /** The document's path template of a concrete path (literal segments win), or null. */
  templateOf(path: string): string | null {
    return this.matchers.find((m) => m.regex.test(path))?.template ?? null;
  }

  check(r: ObservedResponse): string | null {
    // CORS preflights are answered by the cors middleware, not by routes
    if (OUTSIDE_DOCUMENT.test(r.path) || r.method === 'OPTIONS') return null;
    // the web console's pages and files (any non-API path answered without an error, 304 included)
    if (r.status < 400 && !/^\/(api|health)(\/|$)/.test(r.path)) return null;
    const type = mediaType(r.contentType);
    if (EXEMPT_TYPES.has(type)) return null;
    // Express routes match with or without a trailing slash
    const template = this.templateOf(r.path.length > 1 ? r.path.replace(/\/$/, '') : r.path);
    const op = template ? this.doc.paths[template][r.method.toLowerCase()] : undefined;
    if (!op) {
      // no such route: Nest's not-found answer, in the error shape
      if (r.status !== 404) return `${r.method} ${r.path} is not in the document (answered ${r.status})`;
      return this.validateBody(`${r.method} ${r.path} 404 (no route)`, { $ref: '#/components/schemas/ErrorResponseDto' }, r);
    }
    const key = `${r.method} ${template} ${r.status}`;
    const declared = op.responses?.[String(r.status)] ?? op.responses?.default;
    if (!declared) return `${key}: status ${r.status} not documented (documented: ${Object.keys(op.responses ?? {}).join(', ')}); body ${excerpt(r.body)}`;
    const content: Record<string, { schema?: object }> | undefined = declared.content;
    if (!content || Object.keys(content).length === 0) {
      return r.body.length === 0 ? null : `${key}: documented without a body, answered ${type || 'no content type'} ${excerpt(r.body)}`;
    }
    const media = content[type];
    if (!media) return `${key}: answered ${type || 'no content type'}, documented ${Object.keys(content).join(', ')}`;
    if (!media.schema) return `${key}: no schema documented for ${type}`;
    if (type !== 'application/json') return null;
    return this.validateBody(key, media.schema, r);
  }

  private validateBody(key: string, schema: object, r: ObservedResponse): string | null {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.compile(schema);
      this.validators.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(r.body);
    } catch {
      return `${key}: body is not JSON: ${excerpt(r.body)}`;
    }
    if (validate(body)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return `${key}: body does not match the document: ${errors.join('; ')}; body ${excerpt(r.body)}`;
  }
}

const excerpt = (body: string) => (body.length > 300 ? `${body.slice(0, 300)}…` : body);

export interface ContractRecorder {
  checker: ContractChecker;
  violations: string[];
  /** Throws with every violation seen (called by the test app's close()). */
  assertClean(): void;
}

/**
 * Validates every answer of `app` against its own OpenAPI document. Installed
 * around the HTTP server's request listener (outside Express), so it sees
 * every answer, including body-parser errors and unknown routes, and every
 * test file using startTestApp gets it without opting in.
 */
export function installContractCheck(app: INestApplication): ContractRecorder {
  const checker = new ContractChecker(createApiDocument(app) as unknown as ApiDocument);
  const violations: string[] = [];
  const server: Server = app.getHttpServer();
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    record(req, res, (observed) => {
      const violation = checker.check(observed);
      if (violation) violations.push(violation);
    });
    for (const listener of listeners) listener.call(server, req, res);
  });
  return {
    checker,
    violations,
    assertClean: () => {
      if (violations.length) throw new Error(`${violations.length} answer(s) do not match the OpenAPI document:\n- ${violations.join('\n- ')}`);
    },
  };
}

/** Collects the body as it is written and reports the answer when it is finished. */
function record(req: IncomingMessage, res: ServerResponse, done: (r: ObservedResponse) => void): void {
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0];
  const chunks: Buffer[] = [];
  let streaming = false;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (streaming || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (EXEMPT_TYPES.has(mediaType(res.getHeader('content-type') as string | undefined))) {
      streaming = true;
      chunks.length = 0;
      return;
    }
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
  res.on('finish', () => {
    const contentType = res.getHeader('content-type') as string | undefined;
    done({ method, path, status: res.statusCode, contentType, body: method === 'HEAD' ? '' : Buffer.concat(chunks).toString('utf8') });
  });
}

import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import pinoHttp from 'pino-http';
import { logContext, rootLogger } from './logging';

/** Gives every request an id (from X-Request-Id or new), echoes it, and logs the request as JSON. */
export function requestLoggingMiddleware() {
  const httpLogger = pinoHttp({
    logger: rootLogger(),
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: { req: (req) => ({ method: req.method, url: req.url }), res: (res) => ({ status_code: res.statusCode }) },
    autoLogging: { ignore: (req) => req.url === '/health' },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    httpLogger(req, res);
    logContext.run({ requestId: String(req.id) }, next);
  };
}

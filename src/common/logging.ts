import { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { Logger } from 'pino';

/** The request (or job) a log line belongs to; set by the HTTP middleware and batch jobs. */
export const logContext = new AsyncLocalStorage<{ requestId: string }>();

// Before settings are validated: an unknown LOG_LEVEL must not crash here (pino
// throws at construction); loadSettings reports it by name instead.
const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const envLevel = process.env.LOG_LEVEL?.trim().toLowerCase() ?? '';
let root: Logger = pino({ level: PINO_LEVELS.includes(envLevel) ? envLevel : 'info' });

export function configureRootLogger(level: string): Logger {
  root = pino({
    level,
    base: { service: 'sigmasight', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const ctx = logContext.getStore();
      return ctx ? { request_id: ctx.requestId } : {};
    },
    redact: { paths: ['req.headers.authorization', 'password', '*.password', 'req.body.password'], censor: '[redacted]' },
  });
  return root;
}

export function rootLogger(): Logger {
  return root;
}

/** Nest's LoggerService on pino, so framework and app lines share one JSON format. */
export class PinoNestLogger implements LoggerService {
  log(message: unknown, context?: string) {
    root.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    root.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    root.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    root.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    root.trace({ context }, String(message));
  }
}

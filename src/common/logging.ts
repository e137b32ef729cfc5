import { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { DestinationStream, Logger } from 'pino';

/** The request (or job) a log line belongs to; set by the HTTP middleware and batch jobs. */
export const logContext = new AsyncLocalStorage<{ requestId: string }>();

// Before settings are validated: an unknown LOG_LEVEL must not crash here (pino
// throws at construction); loadSettings reports it by name instead.
const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const envLevel = process.env.LOG_LEVEL?.trim().toLowerCase() ?? '';
let root: Logger = pino({ level: PINO_LEVELS.includes(envLevel) ? envLevel : 'info' });

/**
 * Never in a log line: credentials, tokens, and the values of a failed
 * statement (its parameters, and PostgreSQL's `detail`, which quotes the
 * offending row or key, e.g. an email or a password hash).
 */
const REDACTED_PATHS = [
  'password', '*.password', 'password_hash', '*.password_hash', 'passwordHash', '*.passwordHash',
  'current_password', '*.current_password', 'new_password', '*.new_password',
  'token', '*.token', 'access_token', '*.access_token', 'email', '*.email',
  'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie', 'req.body',
  'parameters', '*.parameters', 'params', '*.params',
];

const STATEMENT_SECRETS = ['parameters', 'detail', 'where', 'driverError'] as const;

/** pino's error serializer, minus whatever of a failed statement can carry data (recursively through `cause`). */
export function safeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of STATEMENT_SECRETS) delete out[key];
  if ((err as { cause?: unknown }).cause instanceof Error) out.cause = safeError((err as { cause: unknown }).cause);
  return out;
}

/** `destination`: where the lines go (default stdout); tests pass a stream they read. */
export function configureRootLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'sigmasight', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const ctx = logContext.getStore();
      return ctx ? { request_id: ctx.requestId } : {};
    },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: safeError, error: safeError },
  };
  root = destination ? pino(options, destination) : pino(options);
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

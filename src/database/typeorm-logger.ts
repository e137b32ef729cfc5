import type { Logger as TypeOrmLogger } from 'typeorm';
import { rootLogger, safeError } from '../common/logging';

/**
 * TypeORM's log lines on the app's pino logger. A failed or slow statement is
 * logged with its SQL text only, never its parameters: those are emails,
 * password hashes and whatever else a user sent.
 */
export class SafeTypeOrmLogger implements TypeOrmLogger {
  logQuery(): void {
    // every statement would be noise (and data); not logged
  }

  logQueryError(error: string | Error, query: string): void {
    const err = typeof error === 'string' ? { message: error } : safeError(error);
    rootLogger().warn({ context: 'TypeORM', err, sql: query }, 'statement failed');
  }

  logQuerySlow(time: number, query: string): void {
    rootLogger().warn({ context: 'TypeORM', duration_ms: time, sql: query }, 'slow statement');
  }

  logSchemaBuild(message: string): void {
    rootLogger().debug({ context: 'TypeORM' }, message);
  }

  logMigration(message: string): void {
    rootLogger().info({ context: 'TypeORM' }, message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    rootLogger()[level === 'warn' ? 'warn' : 'debug']({ context: 'TypeORM' }, String(message));
  }
}

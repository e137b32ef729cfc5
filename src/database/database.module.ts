import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '../../ormconfig';

/** The resolved PostgreSQL URL (DATABASE_URL or the embedded server's), for pg-boss. */
export const DATABASE_URL = Symbol('DATABASE_URL');
/** True on the embedded database (PGlite): one process only. */
export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/** An open transaction idle this long (its process frozen or cut off) is ended by the server, releasing its locks. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 20_000;

/** TypeORM on the resolved database URL; pending migrations run at start. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string, applicationName = 'sigmasight', embedded = false): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          // the embedded PGlite serves one process: no other process waits on its locks
          ...dataSourceOptions(databaseUrl, { applicationName, idleInTransactionTimeoutMs: embedded ? undefined : IDLE_IN_TRANSACTION_TIMEOUT_MS }),
          migrationsRun: true,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, { provide: EMBEDDED_DATABASE, useValue: embedded }],
      exports: [DATABASE_URL, EMBEDDED_DATABASE],
    };
  }
}

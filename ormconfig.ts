import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './src/database/entities';
import { SafeTypeOrmLogger } from './src/database/typeorm-logger';
import { MIGRATIONS } from './src/database/migrations';

/**
 * The one TypeORM configuration, used by the app, the migration CLI and tests.
 * Schema changes go through migrations; `synchronize` stays off.
 */
export function dataSourceOptions(url: string, overrides: Partial<{ poolSize: number; applicationName: string; idleInTransactionTimeoutMs: number }> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // PGlite lacks uuid-ossp; gen_random_uuid() is built into PostgreSQL 13+.
    uuidExtension: 'pgcrypto',
    applicationName: overrides.applicationName ?? 'sigmasight',
    extra: {
      max: overrides.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      // a frozen or partitioned process must not hold row locks (a run's row) forever: the server ends its open transaction
      ...(overrides.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: overrides.idleInTransactionTimeoutMs } : {}),
    },
    // failed statements are logged without their parameters (SafeTypeOrmLogger)
    logger: new SafeTypeOrmLogger(),
  };
}

/** For `typeorm migration:run -d dist/ormconfig.js` with DATABASE_URL set. */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'));

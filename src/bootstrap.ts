import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../ormconfig';
import { AppModule } from './app.module';
import { jsonBodyParserOptions } from './common/json-limits';
import { PinoNestLogger } from './common/logging';
import { createApiDocument } from './common/openapi-document';
import { serveConsole } from './console/console-static';
import { requestLoggingMiddleware } from './common/request-logging.middleware';
import { createValidationPipe } from './common/validation';
import type { AppSettings } from './config/settings';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { startMetricsServer } from './metrics/metrics-server';
import { IMPORT_MAX_BYTES } from './portfolios/csv-import';

export const API_PREFIX = 'api/v1';

/** Everything about the HTTP surface that tests and production share. */
export async function buildApp(settings: AppSettings, databaseUrl: string, embedded: boolean): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ settings, databaseUrl, embedded }), {
    logger: new PinoNestLogger(),
    bodyParser: true,
    abortOnError: false,
  });
  // behind a load balancer the client address (rate limits, logs) comes from X-Forwarded-For, trusted only as configured
  app.set('trust proxy', settings.trustProxy);
  app.use(requestLoggingMiddleware());
  app.use(`/${API_PREFIX}`, noStore);
  app.use(helmet({ contentSecurityPolicy: false }));
  app.enableCors({ origin: settings.corsOrigins.length ? settings.corsOrigins : false });
  app.useBodyParser('json', jsonBodyParserOptions());
  app.useBodyParser('text', { type: ['text/csv', 'text/plain', 'application/csv'], limit: IMPORT_MAX_BYTES });
  // the web console (static build) at /, before the API's routes; the API keeps its own prefix
  serveConsole(app);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  setUpOpenApi(app);
  await app.init();
  return app;
}

/** API answers carry tokens and account data: no browser or proxy may keep them. */
function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}

export interface RunningService {
  app: INestApplicationContext;
  /** The API's URL; null for a worker (no HTTP but the METRICS_PORT listener). */
  url: string | null;
  metricsUrl: string | null;
  stop(): Promise<void>;
}

/** Any number in the app's own advisory-lock space: serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so N processes
 * started at once against a fresh server do not race on the same CREATE TABLE
 * (each would otherwise try, and all but one fail and retry). The app's own
 * start then finds nothing pending. Server databases only: the embedded one
 * serves a single process.
 */
export async function migrateWithLock(databaseUrl: string): Promise<void> {
  const lock = new Client({ connectionString: databaseUrl, application_name: 'sigmasight-migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ds = new DataSource(dataSourceOptions(databaseUrl, { poolSize: 1, applicationName: 'sigmasight-migrate' }));
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'all' });
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}

/** Starts the embedded database when DATABASE_URL is unset, then the API. */
export async function startService(settings: AppSettings): Promise<RunningService> {
  if (settings.processRole !== 'all' && !settings.databaseUrl) {
    // an API process that works no jobs on a database nobody else can reach: runs would never start
    throw new Error(`PROCESS_ROLE=${settings.processRole} needs DATABASE_URL: API and worker processes share one PostgreSQL server (the embedded database serves one process)`);
  }
  if (settings.databaseUrl) await migrateWithLock(settings.databaseUrl);
  const embedded = settings.databaseUrl ? null : await EmbeddedPostgres.start(join(settings.dataDir, 'pgdata'));
  try {
    const app = await buildApp(settings, settings.databaseUrl ?? embedded!.url, embedded !== null);
    await app.listen(settings.port, settings.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
    const metrics = await startMetricsServer(app, settings);
    return {
      app,
      url,
      metricsUrl: metrics?.url ?? null,
      stop: async () => {
        await app.close();
        await metrics?.close();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

/**
 * PROCESS_ROLE=worker: the app without HTTP (no controllers served), working
 * batch jobs from the shared PostgreSQL server; /metrics and /health only on
 * METRICS_PORT when set.
 */
export async function startWorker(settings: AppSettings): Promise<RunningService> {
  if (!settings.databaseUrl) throw new Error('a worker process needs DATABASE_URL (the embedded database serves one process)');
  await migrateWithLock(settings.databaseUrl);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ settings, databaseUrl: settings.databaseUrl, embedded: false }), {
    logger: new PinoNestLogger(),
    abortOnError: false,
  });
  try {
    const metrics = await startMetricsServer(app, settings);
    return {
      app,
      url: null,
      metricsUrl: metrics?.url ?? null,
      stop: async () => {
        await app.close();
        await metrics?.close();
      },
    };
  } catch (e) {
    await app.close();
    throw e;
  }
}

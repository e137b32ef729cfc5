import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { PinoNestLogger } from './common/logging';
import { requestLoggingMiddleware } from './common/request-logging.middleware';
import { createValidationPipe } from './common/validation';
import type { AppSettings } from './config/settings';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { IMPORT_MAX_BYTES } from './portfolios/csv-import';

export const API_PREFIX = 'api/v1';

/** Everything about the HTTP surface that tests and production share. */
export async function buildApp(settings: AppSettings, databaseUrl: string, embedded: boolean): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ settings, databaseUrl, embedded }), {
    logger: new PinoNestLogger(),
    bodyParser: true,
    abortOnError: false,
  });
  app.use(requestLoggingMiddleware());
  app.use(helmet({ contentSecurityPolicy: false }));
  app.enableCors({ origin: settings.corsOrigins.length ? settings.corsOrigins : false });
  app.useBodyParser('text', { type: ['text/csv', 'text/plain', 'application/csv'], limit: IMPORT_MAX_BYTES });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  setUpOpenApi(app);
  await app.init();
  return app;
}

function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('SigmaSight API')
    .setDescription('Portfolio risk analytics: portfolios, positions, batch runs and analytics. Bearer token from POST /api/v1/auth/login.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

export interface RunningService {
  app: NestExpressApplication;
  url: string;
  stop(): Promise<void>;
}

/** Starts the embedded database when DATABASE_URL is unset, then the API. */
export async function startService(settings: AppSettings): Promise<RunningService> {
  const embedded = settings.databaseUrl ? null : await EmbeddedPostgres.start(join(settings.dataDir, 'pgdata'));
  try {
    const app = await buildApp(settings, settings.databaseUrl ?? embedded!.url, embedded !== null);
    await app.listen(settings.port, settings.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
    return {
      app,
      url,
      stop: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

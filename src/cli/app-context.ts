import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { AppModule } from '../app.module';
import { configureRootLogger, PinoNestLogger } from '../common/logging';
import type { AppSettings } from '../config/settings';
import { EmbeddedPostgres } from '../database/embedded-postgres';

/** The app without HTTP, on DATABASE_URL or the embedded database (which must not be in use by a server). */
export async function openAppContext(settings: AppSettings): Promise<{ app: INestApplicationContext; close(): Promise<void> }> {
  configureRootLogger(process.env.LOG_LEVEL ? settings.logLevel : 'warn');
  const embedded = settings.databaseUrl ? null : await EmbeddedPostgres.start(join(settings.dataDir, 'pgdata'));
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ settings: { ...settings, batchCronEnabled: false }, databaseUrl: settings.databaseUrl ?? embedded!.url, embedded: embedded !== null }),
      { logger: new PinoNestLogger() },
    );
    return {
      app,
      close: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

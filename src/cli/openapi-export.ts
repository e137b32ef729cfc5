import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { writeFileSync } from 'node:fs';
import { AppModule } from '../app.module';
import { API_PREFIX } from '../bootstrap';
import { createApiDocument } from '../common/openapi-document';
import { loadSettings } from '../config/settings';

/**
 * Writes the API's OpenAPI document without a database: Nest's preview mode
 * resolves the module graph and routes but instantiates no provider, so no
 * connection is opened. The console's typed client is generated from it
 * (`npm run web:api`). Usage: node dist/src/cli/openapi-export.js [out.json]
 */
async function main(): Promise<void> {
  const settings = loadSettings({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'openapi-export-secret-0123456789abcdef', BATCH_CRON_ENABLED: 'false' });
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ settings, databaseUrl: 'postgres://unused@127.0.0.1:1/unused', embedded: false }),
    { preview: true, logger: false, abortOnError: false },
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready', 'metrics'] });
  const doc = createApiDocument(app);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const out = process.argv[2];
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  await app.close();
}

main().catch((err) => {
  process.stderr.write(`openapi export failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});

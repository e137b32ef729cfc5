import 'reflect-metadata';
import { configureRootLogger, rootLogger } from './common/logging';
import { loadSettings, SettingsError } from './config/settings';
import { startService } from './bootstrap';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (e) {
    if (e instanceof SettingsError) {
      process.stderr.write(`${e.message}\nSee .env.example for every setting.\n`);
      process.exit(2);
    }
    throw e;
  }
  configureRootLogger(settings.logLevel);
  const service = await startService(settings);
  rootLogger().info(
    { url: service.url, database: settings.databaseUrl ? 'DATABASE_URL' : 'embedded', docs: `${service.url}/docs` },
    `SigmaSight API listening on ${service.url} (OpenAPI UI at ${service.url}/docs)`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    rootLogger().info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    service.stop().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (err) => {
        rootLogger().error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  rootLogger().fatal({ err }, `start-up failed: ${(err as Error).message}`);
  process.exit(1);
});

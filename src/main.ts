import 'reflect-metadata';
import { configureRootLogger, rootLogger } from './common/logging';
import { loadSettings, SettingsError } from './config/settings';
import { startService, startWorker } from './bootstrap';

/**
 * The process entry: PROCESS_ROLE=all (default) or api serves HTTP, worker
 * works batch jobs without HTTP (also `node dist/src/worker.js`).
 *
 * SIGTERM/SIGINT: stop taking jobs, hand the runs coordinated here over (any
 * live process, or the next to start, takes them over and resumes them), give
 * the jobs in hand SHUTDOWN_GRACE_SECONDS to finish and hand back the rest
 * (their chunk leases are given back), close HTTP and the
 * database, exit 0. Whatever happens, the process is gone within
 * SHUTDOWN_GRACE_SECONDS + 10 s (exit 1 when that bound forces it).
 */
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
  // pg-boss 10 completes and fails jobs without awaiting the statement; when the
  // connection drops at that moment the rejection is unhandled. The job is then
  // expired and retried (handlers are idempotent): log it, do not crash.
  process.on('unhandledRejection', (reason) => rootLogger().error({ err: reason }, `unhandled rejection: ${(reason as Error)?.message ?? String(reason)}`));
  const worker = settings.processRole === 'worker';
  const service = worker ? await startWorker(settings) : await startService(settings);
  if (worker) {
    rootLogger().info({ role: 'worker', metrics: service.metricsUrl }, `SigmaSight worker started${service.metricsUrl ? ` (metrics at ${service.metricsUrl}/metrics)` : ''}`);
  } else {
    rootLogger().info(
      { url: service.url, role: settings.processRole, database: settings.databaseUrl ? 'DATABASE_URL' : 'embedded', docs: `${service.url}/docs` },
      `SigmaSight API listening on ${service.url} (OpenAPI UI at ${service.url}/docs)`,
    );
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const boundMs = (settings.shutdownGraceSeconds + 10) * 1000;
    rootLogger().info({ signal, bound_ms: boundMs }, 'shutting down');
    const force = setTimeout(() => {
      rootLogger().error({ bound_ms: boundMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, boundMs).unref();
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

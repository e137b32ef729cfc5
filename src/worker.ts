/**
 * Worker process entry (`npm run worker`): main.ts with PROCESS_ROLE=worker —
 * works batch jobs from the shared PostgreSQL server, serves no HTTP (only
 * /metrics and /health on METRICS_PORT when set). Needs DATABASE_URL.
 */
process.env.PROCESS_ROLE = 'worker';
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./main');

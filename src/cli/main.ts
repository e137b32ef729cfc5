import 'reflect-metadata';
import { DomainError } from '../common/errors';
import { loadSettings, SettingsError } from '../config/settings';
import { UsageError } from './args';
import { createAdmin, runBatch } from './commands';
import { coverage, events, prune, rerun, schedule } from './ops-commands';

const USAGE = `usage:
  npm run cli -- create-admin --email E --password P [--name N]
  npm run batch -- [--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD] [--portfolio ID] [--force]
     (no date: the latest completed trading day; no portfolio: all portfolios)
  npm run cli -- schedule [status|pause|resume]   (resume catches up skipped dates and waits for that run)
  npm run cli -- rerun RUN_ID --phase market_data|pnl_snapshots|risk_analytics   (waits like batch)
  npm run cli -- coverage [--date YYYY-MM-DD]     (exit 1 when a held symbol lacks a close on the date)
  npm run cli -- events RUN_ID [--format text|json]
  npm run cli -- prune [--days N]                 (default BATCH_RETENTION_DAYS)`;

/** Operator commands. Exit codes: 0 success, 1 run not completed or failed, 2 bad usage or settings. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const settings = loadSettings();
    if (command === 'create-admin') return await createAdmin(settings, rest);
    if (command === 'batch') return await runBatch(settings, rest);
    const ops: Record<string, (s: typeof settings, argv: string[]) => Promise<number>> = { schedule, rerun, coverage, events, prune };
    if (command && Object.hasOwn(ops, command)) return await ops[command](settings, rest);
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (e) {
    if (e instanceof UsageError || e instanceof SettingsError) {
      process.stderr.write(`${e.message}\n${e instanceof UsageError ? USAGE : ''}\n`);
      return 2;
    }
    if (e instanceof DomainError) {
      const extra = Object.keys(e.extra).length ? ` ${JSON.stringify(e.extra)}` : '';
      process.stderr.write(`${e.message}${extra}\n`);
      return e.kind === 'bad_request' ? 2 : 1;
    }
    process.stderr.write(`failed: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));

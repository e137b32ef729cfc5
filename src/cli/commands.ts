import { userInfo } from 'node:os';
import { adminPasswordProblem } from '../auth/password-policy';
import { BatchService } from '../batch/batch.service';
import { batchTriggerRequest } from '../batch/batch-trigger-request';
import type { BatchRunView } from '../batch/batch.types';
import { asCalendarDate, asPortfolioId, isCalendarDate, isUuid } from '../common/branded';
import type { AppSettings } from '../config/settings';
import { UsersService } from '../users/users.service';
import { openAppContext } from './app-context';
import { parseArgs, UsageError } from './args';
import { ProgressPrinter, summaryTable } from './batch-progress';

const FINAL = ['completed', 'partial', 'failed', 'cancelled'];

export function date(name: string, v: string | true | undefined) {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !isCalendarDate(v)) throw new UsageError(`--${name} must be a date YYYY-MM-DD`);
  return asCalendarDate(v);
}

/** `create-admin --email E --password P`: creates the admin, or promotes and resets an existing account. */
export async function createAdmin(settings: AppSettings, argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['email', 'password', 'name'] });
  const email = args.email;
  const password = args.password;
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError('--email must be an email address');
  if (typeof password !== 'string') throw new UsageError('--password is required');
  const problem = adminPasswordProblem(password);
  if (problem !== null) throw new UsageError(`--password ${problem}`);
  const ctx = await openAppContext(settings);
  try {
    const user = await ctx.app.get(UsersService).upsertAdmin(email, password, typeof args.name === 'string' ? args.name : undefined);
    process.stdout.write(`admin ready: ${user.email} (id ${user.id})\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

/** `batch [--date D | --from D --to D] [--portfolio ID] [--force]`: runs through BatchService.trigger and waits. */
export async function runBatch(settings: AppSettings, argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['date', 'from', 'to', 'portfolio'], flags: ['force'] });
  const portfolio = args.portfolio;
  if (portfolio !== undefined && (typeof portfolio !== 'string' || !isUuid(portfolio))) throw new UsageError('--portfolio must be a portfolio id (uuid)');
  const request = batchTriggerRequest({
    trigger: 'cli',
    triggeredBy: `cli:${userInfo().username}`,
    portfolioId: typeof portfolio === 'string' ? asPortfolioId(portfolio) : undefined,
    calculationDate: date('date', args.date),
    startDate: date('from', args.from),
    endDate: date('to', args.to),
    force: args.force === true,
  });
  const ctx = await openAppContext(settings);
  try {
    const batch = ctx.app.get(BatchService);
    return await waitAndSummarize(batch, await batch.trigger(request));
  } finally {
    await ctx.close();
  }
}

/** Shows a run's progress until it is final, then its summary; exit 0 only when it completed. */
export async function waitAndSummarize(batch: BatchService, started: BatchRunView): Promise<number> {
  let run = started;
  const printer = new ProgressPrinter(process.stdout);
  while (!FINAL.includes(run.status)) {
    printer.update(run);
    await new Promise((r) => setTimeout(r, 250));
    run = await batch.view(run.batch_run_id);
  }
  printer.finish();
  const detail = await batch.detail(run.batch_run_id);
  process.stdout.write(`${summaryTable(run, detail.results.filter((r) => r.status === 'failed'))}\n`);
  return run.status === 'completed' ? 0 : 1;
}

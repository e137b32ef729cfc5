import { userInfo } from 'node:os';
import { BatchScheduler, ScheduleView } from '../batch/batch-scheduler';
import { BatchService } from '../batch/batch.service';
import { PHASES, PhaseName } from '../batch/batch.types';
import { MarketDataCoverage, SymbolCoverage } from '../batch/coverage/market-data-coverage';
import { BatchRetention } from '../batch/operations/batch-retention';
import { PhaseRerunService } from '../batch/operations/phase-rerun.service';
import { eventLine, RunEventLogReader } from '../batch/operations/run-event-log';
import { asBatchRunId, isUuid } from '../common/branded';
import type { AppSettings } from '../config/settings';
import { openAppContext } from './app-context';
import { parseArgs, UsageError } from './args';
import { date, waitAndSummarize } from './commands';

const operator = () => `cli:${userInfo().username}`;

/** The leading positional arguments (before the first --option), and the rest. */
function positionals(argv: string[], max: number): { args: string[]; rest: string[] } {
  const args: string[] = [];
  let i = 0;
  while (i < argv.length && !argv[i].startsWith('--') && args.length < max) args.push(argv[i++]);
  return { args, rest: argv.slice(i) };
}

function runId(value: string | undefined) {
  if (!value || !isUuid(value)) throw new UsageError('give the batch run id (uuid)');
  return asBatchRunId(value);
}

async function withApp<T>(settings: AppSettings, fn: (get: <S>(type: new (...a: never[]) => S) => S) => Promise<T>): Promise<T> {
  const ctx = await openAppContext(settings);
  try {
    return await fn((type) => ctx.app.get(type));
  } finally {
    await ctx.close();
  }
}

function printSchedule(v: ScheduleView): void {
  const lines = [
    `schedule: ${v.paused ? `PAUSED since ${v.paused_at} by ${v.paused_by}` : 'active'}${v.enabled ? '' : ' (BATCH_CRON_ENABLED=false: the cron does not fire)'}`,
    `cron: ${v.cron} ${v.timezone}`,
    `next fire: ${v.next_fire_at ?? '-'}${v.paused && v.next_fire_at ? ' (will be skipped while paused)' : ''}`,
    `last scheduled date: ${v.last_scheduled_date ?? '-'}`,
    `skipped while paused: ${v.skipped_dates.length ? v.skipped_dates.join(', ') : '-'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `schedule [status|pause|resume]`: resume catches skipped dates up and waits for that run like `batch`. */
export async function schedule(settings: AppSettings, argv: string[]): Promise<number> {
  const { args, rest } = positionals(argv, 1);
  parseArgs(rest, { values: [] });
  const action = args[0] ?? 'status';
  if (!['status', 'pause', 'resume'].includes(action)) throw new UsageError(`schedule takes status, pause or resume, not "${action}"`);
  return withApp(settings, async (get) => {
    const scheduler = get(BatchScheduler);
    // the CLI's own app runs no cron: show and act on the deployment's setting
    const enabled = settings.batchCronEnabled;
    if (action === 'status') {
      printSchedule(await scheduler.view(undefined, { enabled }));
      return 0;
    }
    if (action === 'pause') {
      printSchedule(await scheduler.pause(operator(), enabled));
      return 0;
    }
    const { view, run } = await scheduler.resume(operator(), enabled);
    printSchedule(view);
    if (!run) return 0;
    process.stdout.write(`catching up: run ${run.batch_run_id}\n`);
    return waitAndSummarize(get(BatchService), run);
  });
}

/** `rerun <run-id> --phase P`: one phase again for the run's dates and portfolios; waits like `batch`. */
export async function rerun(settings: AppSettings, argv: string[]): Promise<number> {
  const { args, rest } = positionals(argv, 1);
  const opts = parseArgs(rest, { values: ['phase'] });
  const id = runId(args[0]);
  const phase = opts.phase;
  if (typeof phase !== 'string' || !(PHASES as readonly string[]).includes(phase)) throw new UsageError(`--phase must be one of ${PHASES.join(', ')}`);
  return withApp(settings, async (get) => {
    const run = await get(PhaseRerunService).rerun(id, phase as PhaseName, { trigger: 'cli', email: operator() });
    process.stdout.write(`re-running ${phase} of run ${id}: run ${run.batch_run_id}\n`);
    return waitAndSummarize(get(BatchService), run);
  });
}

const symbolLine = (s: SymbolCoverage) =>
  `  ${s.symbol.padEnd(8)} last close ${s.last_price_date ?? 'none'}${s.factor ? ' (factor ETF)' : ''}; ${s.portfolios.length} portfolio(s)${
    s.portfolios.length ? `: ${s.portfolios.slice(0, 5).map((p) => p.name).join(', ')}${s.portfolios.length > 5 ? ', …' : ''}` : ''
  }`;

/** `coverage [--date D]`: exit 0 when every held symbol has a close on the date, 1 otherwise. */
export async function coverage(settings: AppSettings, argv: string[]): Promise<number> {
  const opts = parseArgs(argv, { values: ['date'] });
  const day = MarketDataCoverage.resolveDate(date('date', opts.date));
  return withApp(settings, async (get) => {
    const r = await get(MarketDataCoverage).report(day);
    const lines = [`coverage on ${r.date}: ${r.symbols_checked} symbol(s) checked, ${r.missing.length} missing, ${r.stale.length} stale (last close before ${r.stale_before})`];
    if (r.missing.length) lines.push('missing:', ...r.missing.map(symbolLine));
    if (r.stale.length) lines.push('stale:', ...r.stale.map(symbolLine));
    for (const p of r.portfolios) lines.push(`portfolio ${p.name} (${p.portfolio_id}): missing ${p.missing_symbols.join(' ') || '-'}; stale ${p.stale_symbols.join(' ') || '-'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return r.missing.length || r.stale.length ? 1 : 0;
  });
}

/** `events <run-id> [--format text|json]`: the whole event log; json prints one event per line (JSON Lines). */
export async function events(settings: AppSettings, argv: string[]): Promise<number> {
  const { args, rest } = positionals(argv, 1);
  const opts = parseArgs(rest, { values: ['format'] });
  const id = runId(args[0]);
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  return withApp(settings, async (get) => {
    for await (const e of get(RunEventLogReader).all(id)) process.stdout.write(`${format === 'json' ? JSON.stringify(e) : eventLine(e)}\n`);
    return 0;
  });
}

/** `prune [--days N]`: deletes runs finished more than N days ago (default BATCH_RETENTION_DAYS). */
export async function prune(settings: AppSettings, argv: string[]): Promise<number> {
  const opts = parseArgs(argv, { values: ['days'] });
  let days = settings.batchRetentionDays;
  if (opts.days !== undefined) {
    if (typeof opts.days !== 'string' || !/^[1-9]\d{0,4}$/.test(opts.days)) throw new UsageError('--days must be a whole number of days, 1 to 99999');
    days = Number(opts.days);
  }
  if (days === 0) {
    process.stdout.write('BATCH_RETENTION_DAYS=0: batch history is kept; nothing pruned (give --days N to prune anyway)\n');
    return 0;
  }
  return withApp(settings, async (get) => {
    const r = await get(BatchRetention).prune(days);
    if (!r.ran) {
      process.stderr.write('another process is pruning now; nothing done\n');
      return 1;
    }
    process.stdout.write(`pruned ${r.runs} run(s) and ${r.events} event(s) finished before ${r.cutoff} (${days} days)\n`);
    return 0;
  });
}

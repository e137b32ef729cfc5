import type { BatchRunView, PortfolioResultView } from '../batch/batch.types';

const seconds = (a: string | null, b: string | null) => (a && b ? ((Date.parse(b) - Date.parse(a)) / 1000).toFixed(2) : '-');

function bar(done: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${done}/${total}`;
}

/** One line of progress: a bar on a terminal (redrawn), plain lines when a phase or date changes otherwise. */
export class ProgressPrinter {
  private last = '';

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(run: BatchRunView): void {
    const phase = run.phases.find((p) => p.name === run.current_phase);
    const where = `${run.status} ${run.dates.current ?? run.calculation_date} (${run.dates.done}/${run.dates.total} dates)`;
    if (this.out.isTTY) {
      const line = `${where} ${phase ? `${phase.name} ${bar(phase.done, phase.total)}` : ''}`;
      this.out.write(`\r${line.padEnd(100).slice(0, 100)}`);
      return;
    }
    const key = `${run.status}|${run.dates.current}|${run.current_phase}`;
    if (key !== this.last) this.out.write(`${new Date().toISOString()} ${where}${phase ? ` ${phase.name}` : ''}\n`);
    this.last = key;
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}

/** The end-of-run summary: one row per phase, portfolio counts, and the first failures. */
export function summaryTable(run: BatchRunView, failures: PortfolioResultView[]): string {
  const rows = [['phase', 'status', 'done/total', 'seconds']];
  for (const p of run.phases) rows.push([p.name, p.status, `${p.done}/${p.total}`, seconds(p.started_at, p.finished_at)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  const lines = [
    `batch run ${run.batch_run_id}: ${run.status.toUpperCase()}`,
    `dates ${run.start_date ?? run.calculation_date}..${run.calculation_date} (${run.dates.total} trading day(s)), total ${seconds(run.started_at, run.finished_at)} s`,
    '',
    fmt(rows[0]),
    ...rows.slice(1).map(fmt),
    '',
    `portfolios: ${run.portfolios.total} total, ${run.portfolios.completed} completed, ${run.portfolios.failed} failed`,
  ];
  if (run.error) lines.push(`error: ${run.error}`);
  for (const f of failures.slice(0, 10)) lines.push(`  failed ${f.portfolio_id} in ${f.failed_phase} on ${f.failed_date}: ${f.error}`);
  if (failures.length > 10) lines.push(`  … and ${failures.length - 10} more (GET /api/v1/admin/batch/runs/${run.batch_run_id})`);
  if (run.market_data_issues.length) lines.push(`market data issues: ${JSON.stringify(run.market_data_issues).slice(0, 500)}`);
  return lines.join('\n');
}

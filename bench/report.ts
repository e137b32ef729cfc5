import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunMeasurement } from './measure';
import type { BenchOptions } from './options';
import type { SeededBook } from './seed';

export interface BenchResult {
  version: 1;
  at: string;
  machine: { cpus: number; node: string; platform: string };
  database: { kind: 'server' | 'embedded'; name: string; server_version: string };
  options: BenchOptions;
  settings: { batchChunkSize: number; marketDataProvider: string };
  book: SeededBook;
  runs: RunMeasurement[];
  /** Process high-water mark (includes seeding; with the embedded database, also PGlite). */
  processMaxRssMb: number;
  ok: boolean;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const num = (x: number, digits = 2) => x.toFixed(digits);

/** One table per run: a row per phase and a total row. */
export function formatRun(r: RunMeasurement): string {
  const header = `${r.label} — ${r.date}: ${r.status}${r.error ? ` (${r.error})` : ''}, ${r.portfolios.total} portfolio(s)` +
    (r.portfolios.failed ? `, ${r.portfolios.failed} failed` : '');
  const cols = ['phase', 'seconds', 'portfolios/s', 'SQL stmts', 'stmts/portfolio'];
  const widths = [16, 9, 13, 10, 16];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join(' ');
  const rows = r.phases.map((p) =>
    line([p.name, num(p.seconds), String(p.portfoliosPerSecond), String(p.statements), num(p.statementsPerPortfolio)]),
  );
  const perSecond = r.wallSeconds > 0 ? Math.round(r.portfolios.total / r.wallSeconds) : 0;
  rows.push(line(['total (wall)', num(r.wallSeconds), String(perSecond), String(r.statements.total), num(r.statements.perPortfolio)]));
  const notes = `  queue pick-up ${num(r.queueSeconds)} s; SQL: ${r.statements.app} app + ${r.statements.pgBoss} pg-boss; ` +
    `app CPU ${num(r.cpuSeconds, 1)} s; peak RSS ${r.peakRssMb} MB`;
  const out = [header, line(cols), ...rows, notes];
  if (r.ledger) out.push(ledgerLine(r));
  return out.join('\n');
}

/** The ledger-derivation cost inside pnl_snapshots, and its share of the run's wall time. */
function ledgerLine(r: RunMeasurement): string {
  const l = r.ledger!;
  const share = r.wallSeconds > 0 ? (100 * l.totalSeconds) / r.wallSeconds : 0;
  return `  ledger derivation (in pnl_snapshots): ${num(l.totalSeconds)} s = load ${num(l.loadSeconds)} s + replay ${num(l.replaySeconds)} s ` +
    `for ${l.portfolios} portfolio(s) (${l.resumed} resumed from the previous snapshot's lots), ${l.days} snapshot day(s); ` +
    `${num(share, 1)}% of the run's wall time`;
}

export function formatResult(res: BenchResult): string {
  const o = res.options;
  const b = res.book;
  const out = [
    `SigmaSight bench — ${o.portfolios} portfolios × ${o.positions} positions over ${o.symbols} symbols, ${o.days} days of history`,
    `database: ${res.database.kind} (${res.database.name}, PostgreSQL ${res.database.server_version}); ${res.machine.cpus} CPUs, Node ${res.machine.node}; ` +
      `BATCH_CHUNK_SIZE ${res.settings.batchChunkSize}, provider ${res.settings.marketDataProvider}`,
    `seeded ${b.users} users, ${b.portfolios} portfolios, ${b.positions} holdings (${b.optionPositions} options), ${b.transactions} transactions, ` +
      `${b.snapshotRows} history snapshots in ${num(b.seconds, 1)} s`,
    '',
  ];
  for (const r of res.runs) out.push(formatRun(r), '');
  out.push(`process peak RSS (maxRSS, whole bench): ${res.processMaxRssMb} MB`);
  out.push(res.ok ? 'result: every run completed' : 'result: FAILED — a run did not complete');
  return out.join('\n');
}

export function writeJson(file: string, res: BenchResult): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(res, null, 2)}\n`);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FloorMeasurement } from './floor';
import type { RunMeasurement } from './measure';
import type { SingleCalcMeasurement } from './single-calc';
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
  /** The PostgreSQL floor measured after the warm run (null: not measured). */
  floor: FloorMeasurement | null;
  /** Single-portfolio recalculations through HTTP and SSE (null: not measured). */
  single: SingleCalcMeasurement | null;
  targets: TargetCheck[];
  /** Process high-water mark (includes seeding; with the embedded database, also PGlite). */
  processMaxRssMb: number;
  ok: boolean;
}

/** A target of issue 11 beside its measurement; `pass` null when the bench's book is not the one the target is for. */
export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  pass: boolean | null;
}

/** Issue 11's targets (they live here, never in timed tests). */
export function checkTargets(o: BenchOptions, runs: RunMeasurement[], single: SingleCalcMeasurement | null): TargetCheck[] {
  const batch = runs.filter((r) => !r.label.startsWith('user'));
  const warm = medianWarm(runs);
  const book = (p: number) => o.portfolios === p && o.positions === 30;
  const forBook = (p: number) => (book(p) ? '' : ` (n/a: the target is for ${p.toLocaleString('en-US')} × 30)`);
  const peak = batch.reduce((m, r) => Math.max(m, r.peakRssMb), 0);
  const big = warm ?? batch[batch.length - 1];
  return [
    { name: 'warm batch 1,000 × 30', target: '≤ 1.5 s', measured: warm ? `${num(warm.wallSeconds)} s${forBook(1000)}` : 'not run', pass: warm && book(1000) ? warm.wallSeconds <= 1.5 : null },
    { name: 'batch 10,000 × 30', target: '≤ 10 s', measured: big ? `${num(big.wallSeconds)} s${forBook(10000)}` : 'not run', pass: big && book(10000) ? big.wallSeconds <= 10 : null },
    { name: 'peak RSS at 10,000', target: '≤ 512 MB', measured: batch.length ? `${peak} MB${o.portfolios >= 10000 ? '' : ` (n/a: the target is for 10,000 portfolios)`}` : 'not run', pass: batch.length && o.portfolios >= 10000 ? peak <= 512 : null },
    { name: 'single calc POST → SSE final, p50', target: '≤ 0.30 s', measured: single ? `${num(single.p50Seconds)} s${o.positions === 30 ? '' : ' (n/a: the target is for 30 positions)'}` : 'not run', pass: single && o.positions === 30 ? single.p50Seconds <= 0.3 : null },
  ];
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
    `app CPU ${num(r.cpuSeconds, 1)} s; peak RSS ${r.peakRssMb} MB` +
    (r.memoryAtPeak ? ` (then: V8 heap ${r.memoryAtPeak.heapUsedMb} MB used of ${r.memoryAtPeak.heapTotalMb} MB, external ${r.memoryAtPeak.externalMb} MB)` : '');
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
  const warm = medianWarm(res.runs);
  const warms = res.runs.filter((r) => r.label.startsWith('warm'));
  if (warms.length > 1 && warm) out.push(formatWarmRuns(warms, warm), '');
  if (res.floor) out.push(formatFloor(res.floor, warm), '');
  if (res.single) out.push(formatSingle(res.single), '');
  out.push(formatTargets(res.targets), '');
  out.push(`process peak RSS (maxRSS, whole bench): ${res.processMaxRssMb} MB`);
  out.push(res.ok ? 'result: every run completed' : 'result: FAILED — a run did not complete');
  return out.join('\n');
}

/** The warm run of median wall time (the lower middle of an even count); null without one. */
export function medianWarm(runs: RunMeasurement[]): RunMeasurement | null {
  const warms = runs.filter((r) => r.label.startsWith('warm')).sort((a, b) => a.wallSeconds - b.wallSeconds);
  return warms.length ? warms[Math.floor((warms.length - 1) / 2)] : null;
}

/** Several warm runs: the median run and each phase's median, min and max over the runs. */
function formatWarmRuns(warms: RunMeasurement[], median: RunMeasurement): string {
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${num(s[Math.floor((s.length - 1) / 2)])} (${num(s[0])}–${num(s[s.length - 1])})`;
  };
  const phases = median.phases.map((p) => `${p.name} ${stats(warms.map((r) => r.phases.find((q) => q.name === p.name)?.seconds ?? 0))}`);
  return [
    `warm runs: ${warms.length}; median ${median.label.split(' ').slice(0, 2).join(' ')} (${median.date}) ${num(median.wallSeconds)} s; ` +
      `total s median (min–max) ${stats(warms.map((r) => r.wallSeconds))}`,
    `  per phase, s median (min–max): ${phases.join('; ')}`,
  ].join('\n');
}

function formatFloor(f: FloorMeasurement, warm: RunMeasurement | null): string {
  const rows = Object.entries(f.rows).map(([t, n]) => `${n} ${t} ${num(f.writeSecondsByTable[t] ?? 0, 3)} s`).join(', ');
  const ratio = warm && f.totalSeconds > 0 ? `; warm batch / floor = ${num(warm.wallSeconds)} / ${num(f.totalSeconds, 3)} = ${num(warm.wallSeconds / f.totalSeconds, 1)}×` : '';
  return [
    `PostgreSQL floor on ${f.date} (plain SQL, best of ${f.repeats}): ${num(f.totalSeconds, 3)} s${ratio}`,
    `  read the price window: ${num(f.readSeconds, 3)} s (${f.symbols} symbols, ${f.priceRows} closes); ` +
      `write the result rows: ${num(f.writeSeconds, 3)} s (${rows}; ${f.payloadMb} MB of JSON, upserted in a rolled-back transaction)`,
  ].join('\n');
}

function formatSingle(s: SingleCalcMeasurement): string {
  const statuses = Object.entries(s.statuses).map(([k, n]) => `${n} ${k}`).join(', ');
  return [
    `single-portfolio recalculation through HTTP (POST /portfolio/{id}/calculate → \`final\` on the SSE stream), ${s.runs} runs on ${s.date}: ${statuses}`,
    `  p50 ${num(s.p50Seconds, 3)} s, p95 ${num(s.p95Seconds, 3)} s (min ${num(s.minSeconds, 3)}, max ${num(s.maxSeconds, 3)}); ` +
      `202 answered after ${num(s.acceptP50Seconds, 3)} s, run finished in the database after ${num(s.serverP50Seconds, 3)} s (p50)`,
  ].join('\n');
}

function formatTargets(targets: TargetCheck[]): string {
  const mark = (p: boolean | null) => (p === null ? '  -  ' : p ? ' PASS' : ' FAIL');
  const w = Math.max(...targets.map((t) => t.name.length));
  return ['targets (issue 11):', ...targets.map((t) => `${mark(t.pass)}  ${pad(t.name, w)}  ${pad(t.target, 9)} measured ${t.measured}`)].join('\n');
}

export function writeJson(file: string, res: BenchResult): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(res, null, 2)}\n`);
}

import { startHeapWatch } from './heap-watch';
import type { Client } from 'pg';
import type { BatchService } from '../src/batch/batch.service';
import type { BatchTriggerRequest, PhaseView } from '../src/batch/batch.types';
import type { LedgerDerivationCounters } from '../src/batch/phases/snapshot.phase';
import { sqlLog } from './sql-counter';

export interface PhaseMeasurement {
  name: string;
  status: string;
  seconds: number;
  portfoliosPerSecond: number;
  statements: number;
  statementsPerPortfolio: number;
  done: number;
  total: number;
}

export interface RunMeasurement {
  label: string;
  date: string;
  batchRunId: string;
  status: string;
  error: string | null;
  portfolios: { total: number; completed: number; failed: number };
  /** From the trigger call until the bench saw the final state. */
  wallSeconds: number;
  /** From the trigger call until the run job started (queue pick-up). */
  queueSeconds: number;
  phases: PhaseMeasurement[];
  statements: { total: number; app: number; pgBoss: number; perPortfolio: number };
  /** Highest resident set size sampled while the run was going. */
  peakRssMb: number;
  /** The V8 heap and external memory at that peak (RSS − heapTotal − external is native: code, stacks, malloc). */
  memoryAtPeak: MemoryAtPeak;
  /** CPU time of this process (the app; with the embedded database, PGlite too) during the run. */
  cpuSeconds: number;
  /** Deriving books from the ledger inside the snapshot phase (load + replay), summed over its chunks. */
  ledger: LedgerMeasurement | null;
}

export interface LedgerMeasurement {
  /** Reading ledgers and their market facts. */
  loadSeconds: number;
  /** Replaying transactions into lots, cash and daily activity. */
  replaySeconds: number;
  totalSeconds: number;
  portfolios: number;
  /** Portfolios resumed from the previous snapshot's lots (the others replayed their whole ledger). */
  resumed: number;
  /** Snapshot days booked (more than one per portfolio when days were missing). */
  days: number;
}

function ledgerDelta(before: LedgerDerivationCounters, after: LedgerDerivationCounters): LedgerMeasurement {
  const load = seconds(after.loadMs - before.loadMs);
  const replay = seconds(after.replayMs - before.replayMs);
  return { loadSeconds: load, replaySeconds: replay, totalSeconds: round2(load + replay), portfolios: after.portfolios - before.portfolios,
    resumed: after.resumed - before.resumed, days: after.days - before.days };
}

const FINAL = new Set(['completed', 'partial', 'failed', 'cancelled']);
const mb = (bytes: number) => Math.round(bytes / 1048576);
const seconds = (ms: number) => Math.round(ms) / 1000;

/** The process's memory at its RSS peak, in MB: what the resident set was made of then. */
export interface MemoryAtPeak {
  rssMb: number;
  /** V8 heap: live and garbage objects (`heapUsed`) and the pages reserved for them (`heapTotal`). */
  heapUsedMb: number;
  heapTotalMb: number;
  /** Memory outside the V8 heap held by JS objects (Buffers, ArrayBuffers). */
  externalMb: number;
}

/** Samples the process RSS until stopped; returns the peak seen with the heap's make-up at that moment. */
export function rssSampler(everyMs = 25): { stop(): MemoryAtPeak } {
  const sample = (): MemoryAtPeak => {
    const m = process.memoryUsage();
    return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
  };
  let peak = sample();
  let peakRss = process.memoryUsage.rss();
  const take = () => {
    const rss = process.memoryUsage.rss();
    if (rss <= peakRss) return;
    peakRss = rss;
    peak = sample(); // the full breakdown only on a new peak: it walks the heap spaces
  };
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

interface RunRow {
  status: string;
  error: string | null;
  phases: PhaseView[];
  started_at: Date | null;
  total: number;
  completed: number;
  failed: number;
}

/**
 * Triggers one run through BatchService.trigger (the path of the CLI, the
 * routes and the cron), waits for its final state by polling batch_runs on
 * the bench's own connection, and measures it: per phase (from the run's
 * recorded phase times) seconds, portfolios/s and the app's SQL statements.
 */
export async function measureRun(
  label: string,
  batch: BatchService,
  db: Client,
  request: BatchTriggerRequest,
  ledger: LedgerDerivationCounters | null = null,
  timeoutMs = 3_600_000,
): Promise<RunMeasurement> {
  // every run starts from a fresh checkpoint (fewer full-page WAL writes mid-run, comparable runs); needs superuser or pg_checkpoint
  await db.query('CHECKPOINT').catch(() => undefined);
  const rss = rssSampler();
  const watchMb = Number(process.env.BENCH_HEAP_WATCH_MB ?? 0);
  const watch = watchMb > 0
    ? await startHeapWatch(watchMb, `bench-heap-${label.split(' ')[0].replace(/\W/g, '')}.heapprofile`, (m) => process.stderr.write(`[heap] ${m}\n`))
    : null;
  const cpu0 = process.cpuUsage();
  const ledger0 = ledger ? { ...ledger } : null;
  const t0 = Date.now();
  sqlLog.dropBefore(t0);
  const view = await batch.trigger(request);
  let row: RunRow;
  for (;;) {
    const { rows } = await db.query(
      `SELECT r.status, r.error, r.phases, r.started_at, r.portfolios_total AS total,
         (SELECT count(*) FILTER (WHERE p.status = 'completed') FROM batch_run_portfolios p WHERE p.batch_run_id = r.id)::int AS completed,
         (SELECT count(*) FILTER (WHERE p.status = 'failed') FROM batch_run_portfolios p WHERE p.batch_run_id = r.id)::int AS failed
       FROM batch_runs r WHERE r.id = $1`,
      [view.batch_run_id],
    );
    row = rows[0] as RunRow;
    if (FINAL.has(row.status)) break;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${label}: run ${view.batch_run_id} still ${row.status} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const t1 = Date.now();
  const peak = rss.stop();
  await watch?.stop();
  const cpu = process.cpuUsage(cpu0);
  const n = Math.max(1, row.total);
  const phases = row.phases.map((p): PhaseMeasurement => {
    const from = p.started_at ? Date.parse(p.started_at) : NaN;
    const to = p.finished_at ? Date.parse(p.finished_at) : NaN;
    const secs = Number.isFinite(from) && Number.isFinite(to) ? seconds(to - from) : 0;
    const statements = Number.isFinite(from) && Number.isFinite(to) ? sqlLog.between(from, to).total : 0;
    return {
      name: p.name, status: p.status, seconds: secs, portfoliosPerSecond: secs > 0 ? Math.round(row.total / secs) : 0,
      statements, statementsPerPortfolio: round2(statements / n), done: p.done, total: p.total,
    };
  });
  const all = sqlLog.between(t0, t1);
  return {
    label,
    date: view.calculation_date,
    batchRunId: view.batch_run_id,
    status: row.status,
    error: row.error,
    portfolios: { total: row.total, completed: row.completed, failed: row.failed },
    wallSeconds: seconds(t1 - t0),
    queueSeconds: row.started_at ? seconds(row.started_at.getTime() - t0) : 0,
    phases,
    statements: { total: all.total, app: all.app, pgBoss: all['pg-boss'], perPortfolio: round2(all.total / n) },
    peakRssMb: peak.rssMb,
    memoryAtPeak: peak,
    cpuSeconds: seconds((cpu.user + cpu.system) / 1000),
    ledger: ledger && ledger0 ? ledgerDelta(ledger0, ledger) : null,
  };
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

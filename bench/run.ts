import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACTOR_SYMBOLS } from '../src/analytics/calculators';
import { BatchService } from '../src/batch/batch.service';
import { PriceWindowCache } from '../src/batch/phases/price-window.cache';
import { SnapshotPhase } from '../src/batch/phases/snapshot.phase';
import { buildApp } from '../src/bootstrap';
import { batchTriggerRequest } from '../src/batch/batch-trigger-request';
import { asCalendarDate, asPortfolioId, CalendarDate } from '../src/common/branded';
import { configureRootLogger } from '../src/common/logging';
import { loadSettings } from '../src/config/settings';
import { isTradingDay, latestCompletedTradingDay, previousTradingDay } from '../src/market-data/calendar';
import { MarketDataService } from '../src/market-data/market-data.service';
import { benchClient, createBenchDatabase } from './database';
import { measureRun, RunMeasurement } from './measure';
import { BenchOptions, parseOptions } from './options';
import { measureFloor, FloorMeasurement } from './floor';
import { BenchResult, checkTargets, formatResult, writeJson } from './report';
import { measureSingleCalc, SingleCalcMeasurement } from './single-calc';
import { benchSymbol, seedBook } from './seed';
import { installSqlCounter } from './sql-counter';

/**
 * `npm run bench`: a synthetic book in a fresh database, the real app
 * (buildApp: migrations, pg-boss, the batch exactly as in production), then
 * - cold: a full batch on the trading day before `--date`, its price history
 *   fetched from the synthetic provider during the run;
 * - warm: a full batch on `--date`, the history already in daily_prices;
 * - user: one portfolio's calculate (trigger 'user'), timed to its final state;
 * - the PostgreSQL floor: the warm run's price window read and result rows
 *   written in plain SQL, and the ratio of the warm batch to it;
 * - single: N recalculations of one portfolio through HTTP, POST to the
 *   `final` event of its SSE stream (p50, p95).
 * Prints a table per run, the targets of issue 11 with pass/fail marks, and
 * exits non-zero unless every run completed (a missed target does not fail it).
 */
async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  installSqlCounter(); // before any pg client exists
  const warmDate = resolveDate(o);
  const warmDates = tradingDaysEndingAt(warmDate, o.warm ? o.warmRuns : 1);
  const coldDate = previousTradingDay(warmDates[0]);
  const db = await createBenchDatabase(o.embedded);
  const dataDir = mkdtempSync(join(tmpdir(), 'sigmasight-bench-'));
  const client = await benchClient(db.url);
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    const settings = loadSettings({
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      BATCH_CRON_ENABLED: 'false',
      SEED_DEMO_DATA: 'false',
      ADMIN_EMAIL: '',
      ADMIN_PASSWORD: '',
    });
    configureRootLogger(settings.logLevel);
    log(`database: ${db.kind} ${db.name}; starting the app`);
    app = await buildApp(settings, db.url, false);
    log(`seeding ${o.portfolios} × ${o.positions} over ${o.symbols} symbols, ${o.days} days of history`);
    const book = await seedBook(client, o, o.cold ? coldDate : warmDate, settings.syntheticSeed);
    const batch = app.get(BatchService);
    const runs: RunMeasurement[] = [];
    // the snapshot phase's ledger-derivation counters (this process runs every chunk)
    const ledger = app.get(SnapshotPhase, { strict: false }).counters;
    const request = (date: CalendarDate) => batchTriggerRequest({ trigger: 'cli', triggeredBy: 'cli:bench', calculationDate: date });
    if (o.cold) {
      log(`cold run on ${coldDate}`);
      runs.push(await measureRun('cold (history fetched during the run)', batch, client, request(coldDate), ledger));
    }
    if (o.warm) {
      if (!o.cold) await prefetch(app.get(MarketDataService), o, warmDate);
      for (const [k, date] of warmDates.entries()) {
        const label = warmDates.length > 1 ? `warm ${k + 1}/${warmDates.length}` : 'warm';
        log(`${label} run on ${date}`);
        runs.push(await measureRun(`${label} (history in daily_prices)`, batch, client, request(date), ledger));
      }
    }
    let floor: FloorMeasurement | null = null;
    if (o.floor && runs.length) {
      const date = o.warm ? warmDate : coldDate;
      log(`PostgreSQL floor on ${date}: the price window read and the result rows written in plain SQL`);
      floor = await measureFloor(client, date);
    }
    if (o.user) {
      const date = o.warm ? warmDate : coldDate;
      log(`single-portfolio user calculate on ${date}`);
      runs.push(await measureRun(`user calculate (1 portfolio × ${o.positions} positions)`, batch, client, batchTriggerRequest({
        trigger: 'user', triggeredBy: 'bench-user@bench.local', portfolioId: asPortfolioId(book.firstPortfolioId), calculationDate: date,
      }), ledger));
    }
    let single: SingleCalcMeasurement | null = null;
    if (o.single > 0) {
      const date = o.warm || !o.cold ? warmDate : coldDate;
      if (!o.warm && !o.cold) await prefetch(app.get(MarketDataService), o, warmDate);
      log(`${o.single} single-portfolio recalculations through HTTP on ${date} (POST, then the SSE stream until final)`);
      single = await measureSingleCalc(app, client, book.firstPortfolioId, date, o.single);
    }
    const version = (await client.query('SHOW server_version')).rows[0].server_version as string;
    const result: BenchResult = {
      version: 1,
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` },
      database: { kind: db.kind, name: db.name, server_version: version },
      options: o,
      settings: { batchChunkSize: settings.batchChunkSize, marketDataProvider: settings.marketDataProvider },
      book,
      runs,
      floor,
      single,
      targets: checkTargets(o, runs, single),
      processMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      ok: (runs.length > 0 || single !== null) && runs.every((r) => r.status === 'completed') &&
        (single === null || Object.keys(single.statuses).every((k) => k === 'completed')),
    };
    process.stdout.write(`\n${formatResult(result)}\n`);
    if (o.json) {
      writeJson(o.json, result);
      log(`results written to ${o.json}`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await client.end().catch(() => undefined);
    await app?.close().catch((e) => log(`closing the app: ${(e as Error).message}`));
    if (o.keep && db.kind === 'server') log(`kept database ${db.name} (--keep-db)`);
    else await db.drop().catch((e) => log(`dropping ${db.name}: ${(e as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The `n` trading days ending at `last`, oldest first. */
function tradingDaysEndingAt(last: CalendarDate, n: number): CalendarDate[] {
  const out = [last];
  while (out.length < n) out.unshift(previousTradingDay(out[0]));
  return out;
}

function resolveDate(o: BenchOptions): CalendarDate {
  const latest = latestCompletedTradingDay(new Date());
  if (!o.date) return latest;
  const d = asCalendarDate(o.date);
  if (d > latest || !isTradingDay(d)) throw new Error(`--date ${d} must be a trading day on or before ${latest}`);
  return d;
}

/** Without a cold run, the warm run's history is fetched before it (the market-data step alone). */
async function prefetch(marketData: MarketDataService, o: BenchOptions, date: CalendarDate): Promise<void> {
  log('fetching the price history before the warm run');
  const symbols = [...FACTOR_SYMBOLS, ...Array.from({ length: o.symbols }, (_, i) => benchSymbol(i))];
  const from = PriceWindowCache.window(date)[0];
  await marketData.ensurePrices(symbols, from, date);
  await marketData.ensureCorporateActions(symbols, from, date);
  await marketData.ensureSecurityDetails(symbols);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`[bench] failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);

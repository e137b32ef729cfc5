import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildApp } from '../../src/bootstrap';
import type { CalendarDate } from '../../src/common/branded';
import { SyntheticMarketDataProvider } from '../../src/market-data/providers';
import { installContractCheck } from './contract';
import { API, bearer, closeApp, TestApp, testSettings } from './test-app';

const FINAL = ['completed', 'partial', 'failed', 'cancelled'];

/** Polls a status URL until the run is final (or the time is up). */
export async function pollUntilFinal(t: TestApp, url: string, token: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(t.http).get(url).set(bearer(token)).expect(200);
    if (FINAL.includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`run still ${res.body.status} after ${timeoutMs} ms: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `GET /admin/batch/runs/{id}` until the run is final; returns the detail (with `results`). */
export function waitForRun(t: TestApp, adminToken: string, runId: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  return pollUntilFinal(t, `${API}/admin/batch/runs/${runId}`, adminToken, timeoutMs);
}

/** Polls the admin view of a run until `predicate` holds. */
export async function waitForRunState(
  t: TestApp,
  adminToken: string,
  runId: string,
  predicate: (run: Record<string, any>) => boolean,
  timeoutMs = 15_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(t.http).get(`${API}/admin/batch/runs/${runId}`).set(bearer(adminToken)).expect(200);
    if (predicate(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`run never reached the expected state: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no run is queued or running (`GET /admin/batch/current` empty). */
export async function waitUntilIdle(t: TestApp, adminToken: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(t.http).get(`${API}/admin/batch/current`).set(bearer(adminToken)).expect(200);
    if (res.body.runs.length === 0) return;
    if (Date.now() > deadline) throw new Error(`runs still active: ${JSON.stringify(res.body.runs)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function createPortfolioWith(t: TestApp, token: string, csv: string, name = 'Book'): Promise<string> {
  const p = await request(t.http).post(`${API}/portfolio`).set(bearer(token)).send({ name, cash_balance: 10000 }).expect(201);
  await request(t.http).post(`${API}/portfolio/${p.body.id}/import`).set(bearer(token)).set('content-type', 'text/csv').send(csv).expect(201);
  return p.body.id;
}

export const SMALL_BOOK = [
  'symbol,quantity,entry_price,entry_date,position_type,underlying_symbol,strike_price,expiration_date',
  'AAPL,100,150,2024-01-02,,,,',
  'MSFT,-20,300,2024-01-02,,,,',
  'AAPL270115C00200000,2,10,2024-06-03,LC,AAPL,200,2027-01-15',
].join('\n');

/** A one-stock book (CSV) holding `symbol`. */
export const stockBook = (symbol: string, quantity = 10) => `symbol,quantity,entry_price,entry_date\n${symbol},${quantity},100,2024-01-02\n`;

/** Raw SQL on the test app's database (rows for SELECT / RETURNING). */
export async function sql(t: TestApp, text: string, params: unknown[] = []): Promise<any[]> {
  const result = await t.app.get(DataSource).query(text, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;
type MethodKeys<T> = { [K in keyof T]: T[K] extends AnyFn ? K : never }[keyof T] & string;

/**
 * Replaces `instance[method]` (a Nest singleton obtained with app.get) by
 * `wrap(original)`; returns a function that puts the original back. Not a
 * module mock: the database and everything else stay real.
 */
export function patchMethod<T extends object, K extends MethodKeys<T>>(instance: T, method: K, wrap: (original: AnyFn) => AnyFn): () => void {
  const target = instance as Record<string, unknown>;
  const own = Object.prototype.hasOwnProperty.call(target, method);
  const previous = target[method] as AnyFn;
  const original: AnyFn = (...args) => previous.apply(instance, args);
  target[method] = wrap(original);
  return () => {
    if (own) target[method] = previous;
    else delete target[method];
  };
}

/** Awaits an in-process condition (checked on every turn of the event loop); rejects after `timeoutMs` with `what`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Polls async `fn` (a read of state another process or job writes) until it returns a value (not undefined); rejects naming `what` after the timeout. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Resolves with the result of the next call of `instance[method]` (made by
 * anyone: an interval, a job), then stops watching. Rejects after `timeoutMs`
 * naming the method, so a test that needs the call fails when it never comes.
 */
export function nextCall<T extends object, K extends MethodKeys<T>>(instance: T, method: K, timeoutMs = 15_000): Promise<Awaited<ReturnType<Extract<T[K], AnyFn>>>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      restore();
      reject(new Error(`${String(method)} was not called within ${timeoutMs} ms`));
    }, timeoutMs);
    const restore = patchMethod(instance, method, (original) => async (...args: unknown[]) => {
      restore();
      clearTimeout(timer);
      try {
        const result = await original(...args);
        resolve(result as Awaited<ReturnType<Extract<T[K], AnyFn>>>);
        return result;
      } catch (e) {
        reject(e);
        throw e;
      }
    });
  });
}

/** Makes every call of `instance[method]` wait `ms` first. */
export function slowDown<T extends object>(instance: T, method: MethodKeys<T>, ms: number): () => void {
  return patchMethod(instance, method, (original) => async (...args: unknown[]) => {
    await sleep(ms);
    return original(...args);
  });
}

/** Makes every call of `instance[method]` throw `message`. */
export function failWith<T extends object>(instance: T, method: MethodKeys<T>, message: string): () => void {
  return patchMethod(instance, method, () => async () => {
    throw new Error(message);
  });
}

/**
 * Holds every call of `instance[method]` until `release()`; `entered` resolves
 * at the first call. Keeps a run active for as long as a test needs it.
 */
export function hold<T extends object>(instance: T, method: MethodKeys<T>): { entered: Promise<void>; release: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  let enter!: () => void;
  const entered = new Promise<void>((r) => (enter = r));
  const restore = patchMethod(instance, method, (original) => async (...args: unknown[]) => {
    enter();
    await opened;
    return original(...args);
  });
  return {
    entered,
    release: () => {
      restore();
      open();
    },
  };
}

/** Every symbol the analytics need besides the holdings (DESIGN §6). */
export const FACTOR_ETFS = ['SPY', 'VUG', 'VTV', 'MTUM', 'IWM', 'QUAL', 'USMV', 'TLT'];

/**
 * A temporary MARKET_DATA_CSV_DIR holding `SYMBOL.csv` for each symbol,
 * priced by the synthetic provider (seed 42) over [from, to].
 */
export function syntheticCsvDir(symbols: string[], from: CalendarDate, to: CalendarDate): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sigmasight-prices-'));
  mkdirSync(dir, { recursive: true });
  const provider = new SyntheticMarketDataProvider({ seed: 42 });
  for (const symbol of symbols) {
    const lines = ['date,open,high,low,close,volume'];
    for (const b of provider.dailyBars(symbol, from, to)) lines.push([b.date, b.open ?? '', b.high ?? '', b.low ?? '', b.close, b.volume ?? ''].join(','));
    writeFileSync(join(dir, `${symbol}.csv`), lines.join('\n') + '\n');
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A second instance of the app on the same database as `t` (another process
 * in production): its own pools, pg-boss workers, scheduler and tracker.
 */
export async function startPeerApp(t: TestApp, env: Record<string, string> = {}): Promise<{ app: NestExpressApplication; close: () => Promise<void> }> {
  const { settings, dataDir } = testSettings('peer', env);
  const app = await buildApp(settings, t.db.url, false);
  const contract = installContractCheck(app);
  return {
    app,
    close: async () => {
      await closeApp(app);
      rmSync(dataDir, { recursive: true, force: true });
      contract.assertClean();
    },
  };
}

import type { Client } from 'pg';
import type { CalendarDate } from '../src/common/branded';
import { addDays } from '../src/common/dates';
import { previousTradingDay, tradingDaysBack, tradingDaysBetween } from '../src/market-data/calendar';
import { SyntheticMarketDataProvider } from '../src/market-data/providers/synthetic-provider';
import type { BenchOptions } from './options';

export interface SeededBook {
  users: number;
  portfolios: number;
  positions: number;
  optionPositions: number;
  snapshotRows: number;
  firstPortfolioId: string;
  seconds: number;
}

/** A small deterministic PRNG (mulberry32), so the same options give the same book. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4-shaped UUID from the PRNG, so the same options give the same ids (runs can be compared). */
function uuidFrom(random: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) & 3]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const benchSymbol = (i: number): string => `S${String(i).padStart(4, '0')}`;

const PORTFOLIO_SLICE = 500;

/**
 * Users (one per ten portfolios), portfolios, positions and `days` trading
 * days of snapshot history before `firstRunDate`, by bulk INSERTs of a few
 * hundred portfolios each (not through the API). Positions are stocks, long
 * and short, and a share of options on the same symbols, entered at the
 * synthetic provider's close on a day within the history.
 */
export async function seedBook(db: Client, o: BenchOptions, firstRunDate: CalendarDate, syntheticSeed: number): Promise<SeededBook> {
  const t0 = Date.now();
  const random = rng(o.seed);
  const prices = new SyntheticMarketDataProvider({ seed: syntheticSeed, maxCachedSymbols: o.symbols + 16 });
  const lastHistoryDay = previousTradingDay(firstRunDate);
  const historyDays = o.days > 0 ? tradingDaysBetween(tradingDaysBack(firstRunDate, o.days), lastHistoryDay) : [];
  const entryDays = historyDays.length ? historyDays : [lastHistoryDay];
  const idRandom = rng(o.seed ^ 0x5eed1d5);
  const userIds = Array.from({ length: Math.ceil(o.portfolios / 10) }, () => uuidFrom(idRandom));
  await db.query(
    `INSERT INTO users (id, email, password_hash, full_name)
     SELECT u.id, 'bench-' || u.ord || '@bench.local', 'not-a-hash', 'Bench User ' || u.ord FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord)`,
    [userIds],
  );
  let positions = 0;
  let optionPositions = 0;
  let snapshotRows = 0;
  let firstPortfolioId = '';
  for (let from = 0; from < o.portfolios; from += PORTFOLIO_SLICE) {
    const n = Math.min(PORTFOLIO_SLICE, o.portfolios - from);
    const portfolioIds = Array.from({ length: n }, () => uuidFrom(idRandom));
    if (!firstPortfolioId) firstPortfolioId = portfolioIds[0];
    const cash = portfolioIds.map(() => Math.round(10_000 + random() * 990_000));
    const base = [...cash];
    const cols = { id: [] as string[], pid: [] as string[], sym: [] as string[], qty: [] as number[], px: [] as number[], entry: [] as string[],
      type: [] as string[], und: [] as (string | null)[], strike: [] as (number | null)[], exp: [] as (string | null)[], iv: [] as (number | null)[] };
    portfolioIds.forEach((pid, k) => {
      for (const s of pickDistinct(random, o.symbols, o.positions)) {
        const symbol = benchSymbol(s);
        const entry = entryDays[Math.floor(random() * entryDays.length)];
        const spot = prices.closeOn(symbol, entry) ?? 100;
        cols.id.push(uuidFrom(idRandom));
        cols.pid.push(pid);
        cols.entry.push(entry);
        if (random() < o.optionShare) {
          const type = (['LC', 'LP', 'SC', 'SP'] as const)[Math.floor(random() * 4)];
          const strike = Math.max(1, Math.round(spot * (0.8 + 0.4 * random())));
          const expiration = addDays(entry, 365 + Math.floor(random() * 365));
          const contracts = 1 + Math.floor(random() * 10);
          const yymmdd = expiration.slice(2).replace(/-/g, '');
          cols.sym.push(`${symbol}${yymmdd}${type.endsWith('C') ? 'C' : 'P'}${String(strike * 1000).padStart(8, '0')}`);
          cols.qty.push(type.startsWith('S') ? -contracts : contracts);
          cols.px.push(Math.round(spot * 6) / 100);
          cols.type.push(type);
          cols.und.push(symbol);
          cols.strike.push(strike);
          cols.exp.push(expiration);
          cols.iv.push(Math.round((0.15 + 0.3 * random()) * 1000) / 1000);
          optionPositions++;
        } else {
          const short = random() < 0.15;
          const shares = Math.max(1, Math.round((5_000 + random() * 95_000) / spot));
          cols.sym.push(symbol);
          cols.qty.push(short ? -shares : shares);
          cols.px.push(Math.round(spot * 100) / 100);
          cols.type.push(short ? 'SHORT' : 'LONG');
          cols.und.push(null);
          cols.strike.push(null);
          cols.exp.push(null);
          cols.iv.push(null);
          base[k] += shares * spot * (short ? -1 : 1);
        }
      }
    });
    await db.query(
      `INSERT INTO portfolios (id, user_id, name, cash_balance)
       SELECT p.id, ($2::uuid[])[1 + ((p.ord - 1 + $4) / 10)], 'Bench ' || (p.ord + $4), p.cash
       FROM unnest($1::uuid[], $3::numeric[]) WITH ORDINALITY AS p(id, cash, ord)`,
      [portfolioIds, userIds, cash, from],
    );
    // the ledger (DESIGN §8): each position is a holding opened by a TRANSFER_IN, the cash a DEPOSIT on the first entry day
    await db.query(
      `INSERT INTO positions (id, portfolio_id, symbol, position_type, underlying_symbol, strike_price, expiration_date, implied_volatility)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::date[], $8::numeric[])`,
      [cols.id, cols.pid, cols.sym, cols.type, cols.und, cols.strike, cols.exp, cols.iv],
    );
    await db.query(
      `INSERT INTO transactions (portfolio_id, position_id, type, trade_date, quantity, price)
       SELECT t.pid, t.id, 'TRANSFER_IN', t.entry, abs(t.qty), t.px FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::numeric[], $5::numeric[]) AS t(id, pid, entry, qty, px)
       ORDER BY t.entry`,
      [cols.id, cols.pid, cols.entry, cols.qty, cols.px],
    );
    await db.query(
      `INSERT INTO transactions (portfolio_id, type, trade_date, amount) SELECT p.id, 'DEPOSIT', $3::date, p.cash FROM unnest($1::uuid[], $2::numeric[]) AS p(id, cash)`,
      [portfolioIds, cash, entryDays[0]],
    );
    positions += cols.pid.length;
    if (historyDays.length) {
      await seedSnapshotHistory(db, portfolioIds, base.map((b) => Math.max(b, 1000)), cash, o.positions, historyDays);
      snapshotRows += portfolioIds.length * historyDays.length;
    }
  }
  await db.query('ANALYZE');
  return { users: userIds.length, portfolios: o.portfolios, positions, optionPositions, snapshotRows, firstPortfolioId, seconds: (Date.now() - t0) / 1000 };
}

/** k distinct integers in [0, n), by a partial Fisher–Yates over a sparse swap map. */
function pickDistinct(random: () => number, n: number, k: number): number[] {
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    out.push(swapped.get(j) ?? j);
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out;
}

/**
 * One snapshot per portfolio and history day: a value path compounded from
 * deterministic daily returns of about ±1.5%, so the risk phase reads a
 * realistic year of realised history. Position detail is not kept for history.
 */
async function seedSnapshotHistory(db: Client, ids: string[], base: number[], cash: number[], positions: number, days: string[]): Promise<void> {
  await db.query(
    `WITH r AS (
       SELECT p.pid, p.base, p.cash, d.d, d.ord, (hashtext(p.pid::text || ':' || d.ord) % 1500) / 100000.0 AS ret
       FROM unnest($1::uuid[], $2::float8[], $3::float8[]) AS p(pid, base, cash) CROSS JOIN unnest($4::date[]) WITH ORDINALITY AS d(d, ord)),
     v AS (SELECT r.*, r.base * exp(sum(ln(1 + r.ret)) OVER (PARTITION BY r.pid ORDER BY r.ord)) AS tv FROM r)
     INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, total_value, cash_balance, long_value, short_value, gross_exposure,
       net_exposure, daily_pnl, daily_return, cumulative_pnl, position_count, positions)
     SELECT pid, d, tv, cash, tv - cash, 0, tv - cash, tv - cash, tv * ret / (1 + ret), ret, tv - base, $5, '[]'::jsonb FROM v`,
    [ids, base, cash, days, positions],
  );
}

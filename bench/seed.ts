import type { Client } from 'pg';
import type { CalendarDate } from '../src/common/branded';
import { addDays } from '../src/common/dates';
import { previousTradingDay, tradingDaysBack, tradingDaysBetween } from '../src/market-data/calendar';
import { SyntheticMarketDataProvider } from '../src/market-data/providers/synthetic-provider';
import type { BenchOptions } from './options';
import { emptyHoldings, emptyTransactions, seedPortfolioLedger } from './seed-ledger';
import { mulberry32 as rng } from '../src/market-data/providers/synthetic-random';

export interface SeededBook {
  users: number;
  portfolios: number;
  positions: number;
  optionPositions: number;
  /** Ledger transactions booked (a few hundred per portfolio). */
  transactions: number;
  snapshotRows: number;
  firstPortfolioId: string;
  seconds: number;
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
 * Users (one per ten portfolios), portfolios, their ledgers and `days`
 * trading days of snapshot history before `firstRunDate`, by bulk INSERTs of
 * a few hundred portfolios each (not through the API). Each ledger holds
 * stocks, long and short, and a share of options on the same symbols (symbols
 * without a split in the history), built by a few hundred transactions at the
 * synthetic provider's closes (see seed-ledger.ts).
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
  const splitFree = splitFreeSymbols(prices, o.symbols, entryDays[0], firstRunDate);
  let positions = 0;
  let optionPositions = 0;
  let transactions = 0;
  let snapshotRows = 0;
  let firstPortfolioId = '';
  const context = { random, newId: () => uuidFrom(idRandom), prices, days: entryDays, optionShare: o.optionShare };
  for (let from = 0; from < o.portfolios; from += PORTFOLIO_SLICE) {
    const n = Math.min(PORTFOLIO_SLICE, o.portfolios - from);
    const portfolioIds = Array.from({ length: n }, () => uuidFrom(idRandom));
    if (!firstPortfolioId) firstPortfolioId = portfolioIds[0];
    const holdings = emptyHoldings();
    const txs = emptyTransactions();
    for (const pid of portfolioIds) {
      const symbols = pickDistinct(random, splitFree.length, Math.min(o.positions, splitFree.length)).map((i) => splitFree[i]);
      transactions += seedPortfolioLedger(context, pid, symbols, holdings, txs);
    }
    await db.query(
      `INSERT INTO portfolios (id, user_id, name)
       SELECT p.id, ($2::uuid[])[1 + ((p.ord - 1 + $3) / 10)], 'Bench ' || (p.ord + $3) FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, ord)`,
      [portfolioIds, userIds, from],
    );
    await db.query(
      `INSERT INTO positions (id, portfolio_id, symbol, position_type, underlying_symbol, strike_price, expiration_date, implied_volatility)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::date[], $8::numeric[])`,
      [holdings.id, holdings.pid, holdings.sym, holdings.type, holdings.und, holdings.strike, holdings.exp, holdings.iv],
    );
    // ordered, so each portfolio's sequence follows (date, order within the date)
    await db.query(
      `INSERT INTO transactions (portfolio_id, position_id, type, trade_date, quantity, price, fees, amount)
       SELECT t.pid, t.pos, t.type, t.d, t.q, t.px, t.fees, t.amount
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[])
         WITH ORDINALITY AS t(pid, pos, type, d, q, px, fees, amount, n) ORDER BY t.n`,
      [txs.pid, txs.pos, txs.type, txs.date, txs.qty, txs.px, txs.fees, txs.amount],
    );
    positions += holdings.id.length;
    optionPositions += holdings.und.filter((u) => u !== null).length;
    if (historyDays.length) {
      await seedSnapshotHistory(db, portfolioIds, portfolioIds.map(() => 100_000 + random() * 900_000), o.positions, historyDays);
      snapshotRows += portfolioIds.length * historyDays.length;
    }
  }
  await db.query('ANALYZE');
  return { users: userIds.length, portfolios: o.portfolios, positions, optionPositions, transactions, snapshotRows, firstPortfolioId, seconds: (Date.now() - t0) / 1000 };
}

/** Bench symbols with no synthetic split over the book's history (its trades are sized in unsplit shares). */
function splitFreeSymbols(prices: SyntheticMarketDataProvider, count: number, from: CalendarDate, to: CalendarDate): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const symbol = benchSymbol(i);
    if (!prices.corporateActions(symbol, from, addDays(to, 7)).some((a) => a.type === 'SPLIT')) out.push(symbol);
  }
  return out;
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
 * realistic year of realised history. Position detail (and so the lots) is
 * not kept: the first run resumes from the last of these days by replaying
 * every ledger from its start; later runs resume from that run's lots.
 */
async function seedSnapshotHistory(db: Client, ids: string[], base: number[], positions: number, days: string[]): Promise<void> {
  await db.query(
    `WITH r AS (
       SELECT p.pid, p.base, p.base * 0.1 AS cash, d.d, d.ord, (hashtext(p.pid::text || ':' || d.ord) % 1500) / 100000.0 AS ret
       FROM unnest($1::uuid[], $2::float8[]) AS p(pid, base) CROSS JOIN unnest($3::date[]) WITH ORDINALITY AS d(d, ord)),
     v AS (SELECT r.*, r.base * exp(sum(ln(1 + r.ret)) OVER (PARTITION BY r.pid ORDER BY r.ord)) AS tv FROM r)
     INSERT INTO portfolio_snapshots (portfolio_id, snapshot_date, total_value, cash_balance, long_value, short_value, gross_exposure,
       net_exposure, daily_pnl, daily_return, cumulative_pnl, position_count, positions, unrealized_pnl)
     SELECT pid, d, tv, cash, tv - cash, 0, tv - cash, tv - cash, tv * ret / (1 + ret), ret, tv - base, $4, '[]'::jsonb, 0 FROM v`,
    [ids, base, days, positions],
  );
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CalendarDate, PortfolioId, UserId } from '../common/branded';
import { addDays } from '../common/dates';
import { MarketDataService } from '../market-data/market-data.service';
import { PriceStore } from '../market-data/price-store';
import { validateLedger } from './engine';
import { candidateItem, candidateLedger } from './candidate-ledger';
import { entryRejected, EntryError, EntrySource } from './entry-errors';
import { resolveHolding, ResolvedHolding } from './holding-resolution';
import { LedgerFactsLoader } from './ledger-facts.loader';
import { todayUtc } from './ledger-replay.service';
import type { Holding, LedgerError, PortfolioLedger, TransactionId } from './ledger.types';
import { LedgerWriter, NewTransaction } from './ledger.writer';
import { PortfolioAccess } from './portfolio-access';
import { PortfolioLedgerReader } from './portfolio-ledger.reader';
import { isTradeType, ValidTransaction } from './transaction-rules';

/** How far before a trade its instrument's close is looked for. */
export const PRICE_WINDOW_DAYS = 10;

export interface EntryItem extends EntrySource {
  readonly tx: ValidTransaction;
}

/** What a ledger refusal says: the engine's reason, with the shortfall when it has one. */
export function ledgerRefusal(err: LedgerError): { message: string; extra: Record<string, unknown> } {
  const d = err.details;
  return { message: err.message, extra: { ...(d.shortfall !== undefined ? { shortfall: d.shortfall } : {}), ...(d.symbol ? { symbol: d.symbol } : {}), ...(d.date ? { date: d.date } : {}) } };
}

export const toNewTransaction = (tx: ValidTransaction, resolved: ResolvedHolding | null): NewTransaction => ({
  positionId: resolved?.holding.id ?? null, type: tx.type, date: tx.date, quantity: tx.quantity, price: tx.price, fees: tx.fees, amount: tx.amount, note: tx.note,
});

/**
 * Entering user transactions (DESIGN §8): in one database transaction holding
 * the portfolio's row lock, each is resolved to its holding, trades must have
 * a price on or before their date, and the ledger with the entry must replay
 * up to today (no lot closes more than it holds). Then holdings and
 * transactions are stored and snapshots marked stale from the earliest date.
 */
@Injectable()
export class LedgerEntryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: PortfolioAccess,
    private readonly reader: PortfolioLedgerReader,
    private readonly facts: LedgerFactsLoader,
    private readonly writer: LedgerWriter,
    private readonly market: MarketDataService,
    private readonly prices: PriceStore,
  ) {}

  /** Runs `fn` in a database transaction holding the owned portfolio's lock, with its ledger as stored. */
  withLockedLedger<T>(userId: UserId | null, portfolioId: PortfolioId, fn: (em: EntityManager, ledger: PortfolioLedger) => Promise<T>): Promise<T> {
    return this.db.transaction(async (em) => {
      await this.access.assertOwned(userId, portfolioId, em, true);
      const ledger = (await this.reader.load([portfolioId], em)).get(portfolioId)!;
      return fn(em, ledger);
    });
  }

  /** Resolves every item's holding, later items seeing the holdings earlier ones create. */
  resolveAll(ledger: PortfolioLedger, items: readonly EntryItem[], errors: EntryError[]): Array<ResolvedHolding | null> {
    // by symbol, so a 10,000-row import does not scan every holding per row
    const bySymbol = new Map<string, Holding[]>();
    const remember = (h: Holding) => bySymbol.set(h.symbol, [...(bySymbol.get(h.symbol) ?? []), h]);
    for (const h of ledger.holdings.values()) remember(h);
    return items.map((item, i) => {
      const r = resolveHolding(ledger.portfolioId, item.tx, bySymbol.get(item.tx.symbol ?? '') ?? []);
      for (const e of r.errors) errors.push({ item: i, field: e.field ?? e.column ?? 'row', message: e.message });
      // later items find it; the item that created it carries isNew, so it is stored once
      if (r.value?.isNew) remember(r.value.holding);
      return r.value ?? null;
    });
  }

  /**
   * Fetches the closes the entry's trades need, before any lock is taken (a
   * provider may be slow or rate limited): holdings resolved against the
   * ledger as it is now; the check under the lock (`requirePrices`) decides.
   */
  async fetchPrices(userId: UserId | null, portfolioId: PortfolioId, items: readonly EntryItem[]): Promise<void> {
    await this.access.assertOwned(userId, portfolioId);
    const ledger = (await this.reader.load([portfolioId])).get(portfolioId)!;
    const wanted = pricedItems(items, this.resolveAll(ledger, items, []));
    if (!wanted.length) return;
    const dates = wanted.map((w) => w.date).sort();
    await this.market.ensurePrices([...new Set(wanted.map((w) => w.symbol))], addDays(dates[0], -PRICE_WINDOW_DAYS), dates[dates.length - 1]);
  }

  /**
   * Every trade, and every early exercise or assignment (settled at the
   * underlying's close), must follow a stored close of its instrument (the
   * underlying for options) within PRICE_WINDOW_DAYS.
   */
  async requirePrices(items: readonly EntryItem[], resolved: ReadonlyArray<ResolvedHolding | null>, errors: EntryError[], em?: EntityManager): Promise<void> {
    const wanted = pricedItems(items, resolved);
    if (!wanted.length) return;
    const closes = await this.prices.closesOnOrBefore(wanted, PRICE_WINDOW_DAYS, em);
    for (const w of wanted) {
      if (!closes.has(`${w.symbol}|${w.date}`))
        errors.push({ item: w.i, field: 'date', message: `${w.symbol} has no price on or before ${w.date} (within ${PRICE_WINDOW_DAYS} days): a trade needs its instrument's price` });
    }
  }

  /** Replays `candidate` up to today; a refusal names the entered item it hit when it was one. */
  async checkReplay(candidate: PortfolioLedger, em: EntityManager, sources: readonly EntrySource[], editedItem: { id: TransactionId; item: number } | null = null): Promise<void> {
    const today = todayUtc();
    const facts = await this.facts.load([candidate], today, em);
    const err = validateLedger(candidate, facts, today);
    if (!err) return;
    const refusal = ledgerRefusal(err);
    const hit = err.details.transactionId;
    const item = candidateItem(hit) ?? (editedItem && hit === editedItem.id ? editedItem.item : null);
    if (item !== null && sources[item]?.row !== undefined) throw entryRejected([{ item, field: 'quantity', message: refusal.message }], sources, refusal.extra);
    throw entryRejected([{ item: 0, field: 'quantity', message: refusal.message }], sources.map(() => ({})), refusal.extra);
  }

  /**
   * Appends `items` to a locked ledger (all or nothing): resolution, prices
   * (trades, when `checkPrices`; fetched beforehand by `fetchPrices`), replay, then storage. Returns the new ids in item order.
   */
  async append(em: EntityManager, ledger: PortfolioLedger, items: readonly EntryItem[], options: { checkPrices: boolean }): Promise<string[]> {
    const errors: EntryError[] = [];
    const resolved = this.resolveAll(ledger, items, errors);
    if (options.checkPrices && !errors.length) await this.requirePrices(items, resolved, errors, em);
    if (errors.length) throw entryRejected(errors, items);
    const candidate = candidateLedger(ledger, { add: items.map((item, i) => ({ tx: item.tx, resolved: resolved[i] })) });
    await this.checkReplay(candidate, em, items);
    const created = new Map<string, Holding>();
    for (const r of resolved) if (r?.isNew) created.set(r.holding.id, r.holding);
    await this.writer.insertHoldings(em, ledger.portfolioId, [...created.values()]);
    const ids = await this.writer.insertTransactions(em, ledger.portfolioId, items.map((item, i) => toNewTransaction(item.tx, resolved[i])));
    await this.writer.markStale(em, [ledger.portfolioId], earliest(items.map((i) => i.tx.date)));
    return ids;
  }
}

/** The (instrument, date) closes the entry's trades and early exercises need. */
function pricedItems(items: readonly EntryItem[], resolved: ReadonlyArray<ResolvedHolding | null>): Array<{ i: number; symbol: string; date: CalendarDate }> {
  return items
    .map((item, i) => ({ i, tx: item.tx, h: resolved[i]?.holding }))
    .filter((w) => w.tx && w.h && (isTradeType(w.tx.type) || w.tx.type === 'EXERCISE' || w.tx.type === 'ASSIGN'))
    .map((w) => ({ i: w.i, symbol: w.h!.underlyingSymbol ?? w.h!.symbol, date: w.tx.date }));
}

export const earliest = (dates: readonly CalendarDate[]): CalendarDate => dates.reduce((m, d) => (d < m ? d : m));

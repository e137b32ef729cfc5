/**
 * The replay of one portfolio's ledger (the LedgerState contract): walks
 * forward through the dates that carry something (transactions, splits,
 * dividend ex- and pay dates, option expirations), in this order per date:
 * dividend entitlements and splits at the open, the user's transactions by
 * sequence, dividends paid, then options expiring at the close.
 */
import type { CalendarDate, PortfolioId, PositionId } from '../../common/branded';
import type {
  CorporateAction, DayActivity, Holding, HoldingPosition, LedgerState, LedgerTransaction, MarketFacts, OpenLot, PortfolioLedger, RealizedMatch,
} from '../ledger.types';
import { Book } from './book';
import { applySplit, dividendEntitlements, DividendEntitlement, payDateOf, payDividend } from './corporate-actions';
import { expireAtClose } from './expiry';
import { isOptionHolding } from './holding-id';
import { applyTransaction } from './trades';

interface DaySchedule {
  readonly exDividends: CorporateAction[];
  readonly splits: CorporateAction[];
  readonly expiries: PositionId[];
}

export class LedgerReplay implements LedgerState {
  readonly portfolioId: PortfolioId;
  private readonly book: Book;
  private readonly transactions: LedgerTransaction[];
  private readonly schedule = new Map<CalendarDate, DaySchedule>();
  private readonly dates: CalendarDate[];
  private txIndex = 0;
  private dateIndex = 0;
  private entitlements: DividendEntitlement[] = [];
  /** Options whose expiry waits for the underlying's close, with the reason. */
  private readonly waiting = new Map<PositionId, string>();
  private last: CalendarDate | null = null;

  constructor(ledger: PortfolioLedger, private readonly facts: MarketFacts) {
    this.portfolioId = ledger.portfolioId;
    this.book = new Book(ledger);
    this.transactions = ledger.transactions
      .filter((tx) => tx.source !== 'system')
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sequence - b.sequence));
    this.dates = this.buildSchedule(ledger.holdings);
  }

  get asOf(): CalendarDate | null {
    return this.last;
  }

  get cash(): number {
    return this.book.money.cash;
  }

  get cumulativeRealizedPnl(): number {
    return this.book.money.cumulativeRealizedPnl;
  }

  get holdings(): ReadonlyMap<PositionId, Holding> {
    return this.book.holdings;
  }

  get notes(): readonly string[] {
    return [...this.waiting.values()];
  }

  advanceTo(date: CalendarDate): DayActivity {
    if (this.last !== null && date < this.last) throw new Error(`The replay walks forward only: ${date} is before ${this.last}`);
    const waitedBefore = [...this.waiting.keys()];
    while (this.dateIndex < this.dates.length && this.dates[this.dateIndex] <= date) this.applyDate(this.dates[this.dateIndex++]);
    for (const id of waitedBefore) this.expire(id, date);
    this.last = date;
    return this.book.money.closeDay(date);
  }

  positions(): HoldingPosition[] {
    return this.book.lots.sums((id) => this.book.multiplier(id)).map((sum) => {
      const costPerUnit = Math.abs(sum.costBasis) / (Math.abs(sum.quantity) * this.book.multiplier(sum.positionId));
      return { holding: this.book.holdings.get(sum.positionId) as Holding, quantity: sum.quantity, costBasis: sum.costBasis, costPerUnit, openedAt: sum.openedAt };
    });
  }

  openLots(): OpenLot[] {
    return this.book.lots.openLots((id) => this.book.multiplier(id));
  }

  realized(): readonly RealizedMatch[] {
    return this.book.money.realized;
  }

  private applyDate(date: CalendarDate): void {
    const day = this.schedule.get(date);
    day?.exDividends.forEach((action, i) => {
      const nth = day.exDividends.slice(0, i).filter((a) => a.symbol === action.symbol).length;
      this.entitlements.push(...dividendEntitlements(this.book, action, nth));
    });
    for (const action of day?.splits ?? []) applySplit(this.book, action, date);
    while (this.txIndex < this.transactions.length && this.transactions[this.txIndex].date === date) {
      applyTransaction(this.book, this.transactions[this.txIndex++], this.facts);
    }
    this.payDividendsDue(date);
    for (const id of day?.expiries ?? []) this.expire(id, date);
  }

  private payDividendsDue(date: CalendarDate): void {
    if (this.entitlements.length === 0) return;
    const due = this.entitlements.filter((e) => e.payDate <= date);
    if (due.length === 0) return;
    this.entitlements = this.entitlements.filter((e) => e.payDate > date);
    for (const e of due) payDividend(this.book, e, date);
  }

  private expire(id: PositionId, date: CalendarDate): void {
    const option = this.book.holdings.get(id);
    const note = option ? expireAtClose(this.book, option, date, (symbol, d) => this.facts.close(symbol, d)) : null;
    if (note === null) this.waiting.delete(id);
    else this.waiting.set(id, note);
  }

  /** Indexes actions and expirations by date; returns every date with something to apply, from inception on, ascending. */
  private buildSchedule(holdings: ReadonlyMap<PositionId, Holding>): CalendarDate[] {
    if (this.transactions.length === 0) return [];
    const inception = this.transactions[0].date;
    const dates = new Set<CalendarDate>(this.transactions.map((tx) => tx.date));
    const symbols = new Set<string>();
    for (const holding of holdings.values()) {
      const option = isOptionHolding(holding);
      symbols.add(option ? holding.underlyingSymbol ?? holding.symbol : holding.symbol);
      if (option && holding.expirationDate !== null) this.dayOf(holding.expirationDate).expiries.push(holding.id);
    }
    for (const symbol of symbols) {
      for (const action of this.facts.actions(symbol)) {
        if (action.symbol !== symbol) continue;
        if (action.type === 'SPLIT') this.dayOf(action.exDate).splits.push(action);
        else {
          this.dayOf(action.exDate).exDividends.push(action);
          dates.add(payDateOf(action));
        }
      }
    }
    for (const date of this.schedule.keys()) dates.add(date);
    return [...dates].filter((d) => d >= inception).sort();
  }

  private dayOf(date: CalendarDate): DaySchedule {
    let day = this.schedule.get(date);
    if (!day) {
      day = { exDividends: [], splits: [], expiries: [] };
      this.schedule.set(date, day);
    }
    return day;
  }
}

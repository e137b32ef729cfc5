/**
 * Builders for the engine's specs: a portfolio ledger written like a
 * brokerage blotter, and market facts from literal closes and actions.
 * Imported only by specs.
 */
import { asCalendarDate, asPortfolioId, CalendarDate, PortfolioId, PositionId } from '../../common/branded';
import type {
  CorporateAction, CostBasisMethod, Holding, LedgerTransaction, MarketFacts, OptionRight, PortfolioLedger, TransactionId, TransactionType,
} from '../ledger.types';
import { holdingIdFor } from './holding-id';

export const d = asCalendarDate;

export interface TxFields {
  quantity?: number;
  price?: number;
  fees?: number;
  amount?: number;
}

export class LedgerBuilder {
  readonly portfolioId: PortfolioId;
  readonly holdings = new Map<PositionId, Holding>();
  readonly transactions: LedgerTransaction[] = [];

  constructor(readonly method: CostBasisMethod = 'FIFO', portfolioId = 'portfolio-1') {
    this.portfolioId = asPortfolioId(portfolioId);
  }

  stock(symbol: string, direction: 'LONG' | 'SHORT' = 'LONG'): PositionId {
    const id = holdingIdFor(this.portfolioId, symbol, direction);
    this.holdings.set(id, { id, symbol, positionType: direction, optionType: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, impliedVolatility: null });
    return id;
  }

  option(underlying: string, right: OptionRight, long: boolean, strike: number, expiration: string): PositionId {
    const symbol = `${underlying}${expiration.replace(/-/g, '').slice(2)}${right[0]}${strike}`;
    const positionType = right === 'CALL' ? (long ? 'LC' : 'SC') : long ? 'LP' : 'SP';
    const id = holdingIdFor(this.portfolioId, symbol, positionType);
    this.holdings.set(id, { id, symbol, positionType, optionType: right, underlyingSymbol: underlying, strikePrice: strike, expirationDate: d(expiration), impliedVolatility: null });
    return id;
  }

  add(type: TransactionType, date: string, positionId: PositionId | null, f: TxFields = {}): TransactionId {
    const id = `tx-${this.transactions.length + 1}` as TransactionId;
    this.transactions.push({
      id, type, date: d(date), sequence: this.transactions.length + 1, positionId,
      quantity: f.quantity ?? null, price: f.price ?? null, fees: f.fees ?? 0, amount: f.amount ?? null, ratio: null, source: 'user',
    });
    return id;
  }

  cash(type: 'DEPOSIT' | 'WITHDRAWAL' | 'DIVIDEND' | 'INTEREST' | 'FEE', date: string, amount: number): TransactionId {
    return this.add(type, date, null, { amount });
  }

  build(): PortfolioLedger {
    const transactions = [...this.transactions].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sequence - b.sequence));
    return {
      portfolioId: this.portfolioId,
      costBasisMethod: this.method,
      holdings: new Map(this.holdings),
      transactions,
      inceptionDate: transactions[0]?.date ?? null,
      staleFrom: null,
    };
  }
}

/** Closes and corporate actions from literals; `close` is the last close on or before the date, like the stores. */
export class LiteralFacts implements MarketFacts {
  private readonly closes = new Map<string, Array<[CalendarDate, number]>>();
  private readonly byDate: CorporateAction[] = [];

  setClose(symbol: string, date: string, close: number): this {
    const series = this.closes.get(symbol) ?? [];
    series.push([d(date), close]);
    series.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    this.closes.set(symbol, series);
    return this;
  }

  split(symbol: string, exDate: string, ratio: number): this {
    this.byDate.push({ symbol, type: 'SPLIT', exDate: d(exDate), payDate: null, ratio, amount: null });
    return this;
  }

  dividend(symbol: string, exDate: string, amount: number, payDate: string | null = null): this {
    this.byDate.push({ symbol, type: 'CASH_DIVIDEND', exDate: d(exDate), payDate: payDate === null ? null : d(payDate), ratio: null, amount });
    return this;
  }

  actions(symbol: string): readonly CorporateAction[] {
    return this.byDate.filter((a) => a.symbol === symbol).sort((a, b) => (a.exDate < b.exDate ? -1 : a.exDate > b.exDate ? 1 : 0));
  }

  close(symbol: string, date: CalendarDate): number | null {
    let last: number | null = null;
    for (const [day, close] of this.closes.get(symbol) ?? []) {
      if (day > date) break;
      last = close;
    }
    return last;
  }
}

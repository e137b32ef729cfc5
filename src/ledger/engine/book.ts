/**
 * The mutable state of one replay: holdings (strikes move with splits, share
 * holdings appear on exercise), their lots, and the cashbook.
 */
import type { PortfolioId, PositionId } from '../../common/branded';
import type { CostBasisMethod, Holding, LedgerTransaction, PortfolioLedger } from '../ledger.types';
import { LedgerError } from '../ledger.types';
import { Cashbook } from './cash';
import { holdingIdFor, isOptionHolding, multiplierOf } from './holding-id';
import { LotBook } from './lots';

export class Book {
  readonly portfolioId: PortfolioId;
  readonly method: CostBasisMethod;
  readonly holdings = new Map<PositionId, Holding>();
  readonly lots: LotBook;
  readonly money = new Cashbook();
  private readonly multipliers = new Map<PositionId, number>();

  constructor(ledger: PortfolioLedger) {
    this.portfolioId = ledger.portfolioId;
    this.method = ledger.costBasisMethod;
    for (const [id, holding] of ledger.holdings) this.holdings.set(id, holding);
    this.lots = new LotBook(ledger.costBasisMethod);
  }

  /** The holding a transaction acts on. */
  holdingOf(tx: LedgerTransaction): Holding {
    const holding = tx.positionId === null ? undefined : this.holdings.get(tx.positionId);
    if (!holding) {
      throw new LedgerError(`${tx.type} on ${tx.date}: unknown holding ${tx.positionId ?? '(none)'}`, {
        transactionId: tx.id,
        date: tx.date,
        positionId: tx.positionId ?? undefined,
      });
    }
    return holding;
  }

  /** The stock holding of `symbol` in one direction: an existing one, else created with its deterministic id. */
  shareHolding(symbol: string, long: boolean): Holding {
    const existing = this.findShareHolding(symbol, long);
    if (existing) return existing;
    const positionType = long ? 'LONG' : 'SHORT';
    const created: Holding = {
      id: holdingIdFor(this.portfolioId, symbol, positionType),
      symbol,
      positionType,
      optionType: null,
      underlyingSymbol: null,
      strikePrice: null,
      expirationDate: null,
      impliedVolatility: null,
    };
    this.holdings.set(created.id, created);
    return created;
  }

  /** Like shareHolding, but never creates one. */
  findShareHolding(symbol: string, long: boolean): Holding | null {
    const positionType = long ? 'LONG' : 'SHORT';
    for (const holding of this.holdings.values()) {
      if (holding.symbol === symbol && holding.positionType === positionType && !isOptionHolding(holding)) return holding;
    }
    return null;
  }

  /** Contract multiplier of a holding (cached: asked for every position every day). */
  multiplier(id: PositionId): number {
    let m = this.multipliers.get(id);
    if (m === undefined) {
      const holding = this.holdings.get(id);
      m = holding ? multiplierOf(holding) : 1;
      this.multipliers.set(id, m);
    }
    return m;
  }
}

/** A number for messages and notes, without floating-point noise (cheap: notes are built for every event). */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e8) / 1e8);
}

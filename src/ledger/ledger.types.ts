/**
 * The book over time (DESIGN §8): the types shared by the ledger engine (pure
 * replay of transactions into lots, cash and daily activity), the ledger
 * module (storage, routes) and the batch (snapshots from the ledger).
 */
import type { Brand, CalendarDate, PortfolioId, PositionId } from '../common/branded';
import type { PositionType } from '../analytics/calculators/types';

export type TransactionId = Brand<string, 'TransactionId'>;

export const TRADE_TYPES = ['BUY', 'SELL', 'SELL_SHORT', 'BUY_TO_COVER'] as const;
export const CASH_TYPES = ['DEPOSIT', 'WITHDRAWAL', 'DIVIDEND', 'INTEREST', 'FEE'] as const;
export const TRANSFER_TYPES = ['TRANSFER_IN', 'TRANSFER_OUT'] as const;
/** Written by the batch (source "system"); EXERCISE/ASSIGN may also be entered early by a user. */
export const EVENT_TYPES = ['SPLIT', 'EXPIRE', 'EXERCISE', 'ASSIGN'] as const;
export const TRANSACTION_TYPES = [...TRADE_TYPES, ...CASH_TYPES, ...TRANSFER_TYPES, ...EVENT_TYPES] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
export type TransactionSource = 'user' | 'system';
export type CostBasisMethod = 'FIFO' | 'AVERAGE';
export type OptionRight = 'CALL' | 'PUT';

/** Contract terms of a holding; all null for a stock. */
export interface OptionTerms {
  readonly optionType: OptionRight | null;
  readonly underlyingSymbol: string | null;
  readonly strikePrice: number | null;
  readonly expirationDate: CalendarDate | null;
}

/**
 * A holding: one instrument in one direction in one portfolio (a row of
 * `positions`, whose id is the stable position id of the API and analytics).
 * BUY/SELL act on the long holding of a symbol, SELL_SHORT/BUY_TO_COVER on
 * its short holding; for options the type is LC/LP (long) or SC/SP (short).
 */
export interface Holding extends OptionTerms {
  readonly id: PositionId;
  readonly symbol: string;
  readonly positionType: PositionType;
  readonly impliedVolatility: number | null;
}

/** One stored transaction as the engine replays it (numbers already parsed). */
export interface LedgerTransaction {
  readonly id: TransactionId;
  readonly type: TransactionType;
  readonly date: CalendarDate;
  /** Order within a date (creation order). */
  readonly sequence: number;
  /** The holding a trade, transfer, split, expiry, exercise or assignment acts on; null for cash. */
  readonly positionId: PositionId | null;
  /** Trades: > 0. Transfers: > 0 (the holding's direction says long or short). */
  readonly quantity: number | null;
  /** Per share (per share of premium for options); transfers: cost basis per unit. */
  readonly price: number | null;
  /** >= 0; buy fees go into cost, sell fees reduce proceeds. */
  readonly fees: number;
  /** Cash transactions: > 0. */
  readonly amount: number | null;
  /** SPLIT: new shares per old share. */
  readonly ratio: number | null;
  readonly source: TransactionSource;
}

/** A corporate action of a symbol (DESIGN §8). */
export interface CorporateAction {
  readonly symbol: string;
  readonly type: 'SPLIT' | 'CASH_DIVIDEND';
  readonly exDate: CalendarDate;
  /** Cash dividends: the pay date, or null (then paid on the ex-date). */
  readonly payDate: CalendarDate | null;
  /** SPLIT: new shares per old share. */
  readonly ratio: number | null;
  /** CASH_DIVIDEND: cash per share. */
  readonly amount: number | null;
}

/** Everything about one portfolio the engine needs, loaded set-based for many portfolios at once. */
export interface PortfolioLedger {
  readonly portfolioId: PortfolioId;
  readonly costBasisMethod: CostBasisMethod;
  readonly holdings: ReadonlyMap<PositionId, Holding>;
  /** Ascending by (date, sequence). */
  readonly transactions: readonly LedgerTransaction[];
  /** First date with a transaction, null for an empty ledger. */
  readonly inceptionDate: CalendarDate | null;
  /** Snapshots on or after this date are stale (a past transaction changed); null when none are. */
  readonly staleFrom: CalendarDate | null;
}

/** An open lot: signed quantity (negative = short), cost per unit including buy fees. */
export interface OpenLot {
  readonly positionId: PositionId;
  readonly quantity: number;
  readonly costPerUnit: number;
  /** quantity × costPerUnit × multiplier (signed like the quantity). */
  readonly costBasis: number;
  readonly openedAt: CalendarDate;
}

/** A closed match of a sell (or cover, expiry, exercise…) against an opening lot. */
export interface RealizedMatch {
  readonly positionId: PositionId;
  /** Signed like the lot that was closed. */
  readonly quantity: number;
  readonly openedAt: CalendarDate;
  readonly closedAt: CalendarDate;
  readonly cost: number;
  readonly proceeds: number;
  readonly realizedPnl: number;
  readonly closingTransactionId: TransactionId | null;
}

/** A system transaction the replay generated (the batch stores it idempotently by `key`). */
export interface GeneratedTransaction {
  /** Stable identity, e.g. `SPLIT|<positionId>|<date>`: unique per portfolio. */
  readonly key: string;
  readonly type: 'SPLIT' | 'DIVIDEND' | 'EXPIRE' | 'EXERCISE' | 'ASSIGN' | 'BUY' | 'SELL' | 'SELL_SHORT' | 'BUY_TO_COVER';
  readonly date: CalendarDate;
  readonly positionId: PositionId | null;
  /** For share legs of an exercise/assignment: the terms of the stock holding to create or use. */
  readonly symbol: string | null;
  readonly quantity: number | null;
  readonly price: number | null;
  readonly amount: number | null;
  readonly ratio: number | null;
  readonly note: string;
}

/** What happened to a portfolio on one date, after everything of that date was applied. */
export interface DayActivity {
  readonly date: CalendarDate;
  /** Realized P&L of the day's closing matches (fees included). */
  readonly realizedPnl: number;
  /** Dividends (paid − charged on shorts) and interest. */
  readonly income: number;
  /** Trade fees and FEE transactions. */
  readonly fees: number;
  /** DEPOSIT − WITHDRAWAL (cash part of the external flows). */
  readonly cashFlows: number;
  /** Securities moved in (+) or out (−): valued at the day's close by the caller. */
  readonly transfers: ReadonlyArray<{ readonly positionId: PositionId; readonly signedQuantity: number }>;
  /** Cash each holding paid (−) or received (+) today: trades, dividends, exercises; for position daily P&L. */
  readonly cashByHolding: ReadonlyMap<PositionId, number>;
  readonly realized: readonly RealizedMatch[];
  readonly generated: readonly GeneratedTransaction[];
}

/** Prices and actions the replay needs, from whatever store the caller has. */
export interface MarketFacts {
  /** The symbol's corporate actions, ascending by ex-date. */
  actions(symbol: string): readonly CorporateAction[];
  /** Unadjusted close of `symbol` on `date`, or null when unknown (an expiry then waits, with a note). */
  close(symbol: string, date: CalendarDate): number | null;
}

/** A transaction the ledger cannot accept; `shortfall` names what was missing. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    message: string,
    readonly details: { transactionId?: TransactionId; date?: CalendarDate; positionId?: PositionId; symbol?: string; shortfall?: number } = {},
  ) {
    super(message);
  }
}

/** A holding's open position after a replay: its lots summed. */
export interface HoldingPosition {
  readonly holding: Holding;
  /** Signed: negative for short holdings. */
  readonly quantity: number;
  /** Σ open lots' cost basis (signed like the quantity, × multiplier). */
  readonly costBasis: number;
  /** |costBasis| / (|quantity| × multiplier). */
  readonly costPerUnit: number;
  /** Earliest open lot. */
  readonly openedAt: CalendarDate;
}

/**
 * The engine's replay of one portfolio (implemented in `engine/`), created by
 * `replayLedger(ledger, facts)`. It walks forward only: `advanceTo(d)` applies
 * everything dated after the previous call and on or before `d`, in this order
 * per date: splits whose ex-date it is (at the open: quantities × ratio, cost
 * per unit ÷ ratio, option strikes ÷ ratio, no P&L), the date's transactions
 * by sequence, dividends whose pay date it is (amount × quantity held at the
 * close before the ex-date; shorts pay), then at the close options expiring
 * that date (OCC exercise by exception: in the money by >= $0.01 exercises a
 * long / assigns a short into 100 × quantity shares at the strike; otherwise
 * EXPIRE at 0). Persisted system transactions (source "system") are ignored by
 * the replay, which regenerates them (`DayActivity.generated`); user-entered
 * EXERCISE/ASSIGN are applied as given. Throws LedgerError (with the shortfall)
 * on a transaction that would close more than is held.
 */
export interface LedgerState {
  readonly portfolioId: PortfolioId;
  /** The last date advanced to, null before the first call. */
  readonly asOf: CalendarDate | null;
  advanceTo(date: CalendarDate): DayActivity;
  /** Open holdings (quantity ≠ 0), including share holdings created by exercise/assignment. */
  positions(): HoldingPosition[];
  openLots(): OpenLot[];
  /** Every closing match so far, in order. */
  realized(): readonly RealizedMatch[];
  readonly cash: number;
  readonly cumulativeRealizedPnl: number;
  /** Every holding known (stored ones and those the replay created), by id. */
  readonly holdings: ReadonlyMap<PositionId, Holding>;
  /** Why something waits, e.g. an expiry without the underlying's close. */
  readonly notes: readonly string[];
}

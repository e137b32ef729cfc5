/**
 * Identity and direction of holdings: which holding a trade acts on, its
 * contract multiplier, and the deterministic id of a holding the replay has to
 * create (shares delivered by an exercise or assignment).
 */
import { createHash } from 'node:crypto';
import type { PortfolioId, PositionId } from '../../common/branded';
import type { PositionType } from '../../analytics/calculators/types';
import type { Holding, OptionRight, TransactionType } from '../ledger.types';

/** Fixed namespace of SigmaSight holding ids (any constant UUID works; it must never change). */
export const HOLDING_ID_NAMESPACE = '5c1e2f0a-8d3b-4e7a-9b61-3f2d7c4a9e15';

/** Equity option contracts deliver 100 shares. */
export const OPTION_MULTIPLIER = 100;

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the holding `symbol` in direction `positionType` of a portfolio: the same inputs always give the same id. */
export function holdingIdFor(portfolioId: PortfolioId, symbol: string, positionType: PositionType): PositionId {
  return uuidV5(HOLDING_ID_NAMESPACE, `${portfolioId}|${symbol}|${positionType}`) as PositionId;
}

const LONG_SIDE: ReadonlySet<TransactionType> = new Set<TransactionType>(['BUY', 'SELL', 'TRANSFER_IN', 'TRANSFER_OUT', 'EXERCISE']);
const SHORT_SIDE: ReadonlySet<TransactionType> = new Set<TransactionType>(['SELL_SHORT', 'BUY_TO_COVER', 'ASSIGN']);

/**
 * The direction of the holding a transaction acts on: BUY/SELL (and EXERCISE)
 * the long one, SELL_SHORT/BUY_TO_COVER (and ASSIGN) the short one; LC/LP/SC/SP
 * for a call or put. Transfers default to the long holding (a short holding's
 * transfer names its holding explicitly).
 */
export function positionTypeFor(txType: TransactionType, optionType: OptionRight | null): PositionType {
  const long = LONG_SIDE.has(txType);
  if (!long && !SHORT_SIDE.has(txType)) throw new Error(`${txType} does not act on a holding`);
  if (optionType === null) return long ? 'LONG' : 'SHORT';
  if (optionType === 'CALL') return long ? 'LC' : 'SC';
  return long ? 'LP' : 'SP';
}

export function isOptionHolding(h: Pick<Holding, 'optionType' | 'positionType'>): boolean {
  return h.optionType !== null || !(h.positionType === 'LONG' || h.positionType === 'SHORT');
}

export function isLongHolding(h: Pick<Holding, 'positionType'>): boolean {
  return h.positionType === 'LONG' || h.positionType === 'LC' || h.positionType === 'LP';
}

/** Right of an option holding (from its terms, else from its position type). */
export function optionRightOf(h: Pick<Holding, 'optionType' | 'positionType'>): OptionRight {
  if (h.optionType !== null) return h.optionType;
  return h.positionType === 'LC' || h.positionType === 'SC' ? 'CALL' : 'PUT';
}

export function multiplierOf(h: Pick<Holding, 'optionType' | 'positionType'>): number {
  return isOptionHolding(h) ? OPTION_MULTIPLIER : 1;
}

/**
 * Open lots per holding and their matching when a position is reduced: FIFO,
 * or AVERAGE (one cost per unit per holding, recomputed at every opening; the
 * lots are kept for quantity and opening date and still close oldest first).
 */
import type { CalendarDate, PositionId } from '../../common/branded';
import type { CostBasisMethod, Holding, OpenLot, RealizedMatch, TransactionId } from '../ledger.types';
import { isLongHolding, multiplierOf } from './holding-id';

/** Quantities closer to zero than this are zero (floating-point residue of splits and averages). */
export const QUANTITY_EPSILON = 1e-9;

export const isZeroQuantity = (q: number): boolean => Math.abs(q) < QUANTITY_EPSILON;

interface Lot {
  /** Signed: negative for a short lot. */
  quantity: number;
  /** Positive; long: cost including buy fees, short: credit net of fees. */
  costPerUnit: number;
  readonly openedAt: CalendarDate;
}

/** A reduction of a holding at a price per unit (before the multiplier). */
export interface CloseTerms {
  /** > 0 (units of the holding). */
  readonly quantity: number;
  readonly price: number;
  readonly fees: number;
  readonly date: CalendarDate;
  readonly transactionId: TransactionId | null;
}

export class LotBook {
  private readonly lots = new Map<PositionId, Lot[]>();

  constructor(private readonly method: CostBasisMethod) {}

  /** Signed quantity held (negative for a short holding). */
  quantity(id: PositionId): number {
    let sum = 0;
    for (const lot of this.lots.get(id) ?? []) sum += lot.quantity;
    return isZeroQuantity(sum) ? 0 : sum;
  }

  /** Opens a lot of `quantity` (> 0) units in the holding's direction. */
  open(holding: Holding, quantity: number, costPerUnit: number, date: CalendarDate): void {
    const sign = isLongHolding(holding) ? 1 : -1;
    const lots = this.lotsOf(holding.id);
    lots.push({ quantity: sign * quantity, costPerUnit, openedAt: date });
    if (this.method === 'AVERAGE') averageCost(lots);
  }

  /**
   * Closes `terms.quantity` units oldest lot first (the caller has checked
   * they are held). Long: proceeds = price × units − sell fees, cost = the
   * lots' basis. Short: proceeds = the lots' credit, cost = price × units +
   * fees. Either way realizedPnl = proceeds − cost, positive when profitable.
   */
  close(holding: Holding, terms: CloseTerms): RealizedMatch[] {
    const m = multiplierOf(holding);
    const long = isLongHolding(holding);
    const lots = this.lotsOf(holding.id);
    const matches: RealizedMatch[] = [];
    let left = terms.quantity;
    while (left > QUANTITY_EPSILON && lots.length > 0) {
      const lot = lots[0];
      const take = Math.min(Math.abs(lot.quantity), left);
      const basis = take * lot.costPerUnit * m;
      const market = take * terms.price * m;
      const fees = (terms.fees * take) / terms.quantity;
      const proceeds = long ? market - fees : basis;
      const cost = long ? basis : market + fees;
      matches.push({
        positionId: holding.id,
        quantity: long ? take : -take,
        openedAt: lot.openedAt,
        closedAt: terms.date,
        cost,
        proceeds,
        realizedPnl: proceeds - cost,
        closingTransactionId: terms.transactionId,
      });
      left -= take;
      this.shrink(lots, take);
    }
    return matches;
  }

  /** Removes `quantity` units oldest first with no realization (a transfer out); returns the cost basis that left. */
  remove(holding: Holding, quantity: number): number {
    const lots = this.lotsOf(holding.id);
    const m = multiplierOf(holding);
    let left = quantity;
    let basis = 0;
    while (left > QUANTITY_EPSILON && lots.length > 0) {
      const take = Math.min(Math.abs(lots[0].quantity), left);
      basis += take * lots[0].costPerUnit * m;
      left -= take;
      this.shrink(lots, take);
    }
    return basis;
  }

  /** A split: quantity × ratio, cost per unit ÷ ratio, so every lot's cost basis is unchanged. */
  split(id: PositionId, ratio: number): void {
    for (const lot of this.lots.get(id) ?? []) {
      lot.quantity *= ratio;
      lot.costPerUnit /= ratio;
    }
  }

  /** Open lots of every holding, each holding's oldest first. */
  openLots(multiplierById: (id: PositionId) => number): OpenLot[] {
    const out: OpenLot[] = [];
    for (const [positionId, lots] of this.lots) {
      if (lots.length === 0) continue;
      const m = multiplierById(positionId);
      for (const lot of lots) {
        out.push({ positionId, quantity: lot.quantity, costPerUnit: lot.costPerUnit, costBasis: lot.quantity * lot.costPerUnit * m, openedAt: lot.openedAt });
      }
    }
    return out;
  }

  /** Each holding's lots summed (signed quantity, signed cost basis, oldest lot's date), skipping flat holdings. */
  sums(multiplierById: (id: PositionId) => number): Array<{ positionId: PositionId; quantity: number; costBasis: number; openedAt: CalendarDate }> {
    const out: Array<{ positionId: PositionId; quantity: number; costBasis: number; openedAt: CalendarDate }> = [];
    for (const [positionId, lots] of this.lots) {
      let quantity = 0;
      let cost = 0;
      for (const lot of lots) {
        quantity += lot.quantity;
        cost += lot.quantity * lot.costPerUnit;
      }
      // lots are opened in date order, so the first is the oldest
      if (!isZeroQuantity(quantity)) out.push({ positionId, quantity, costBasis: cost * multiplierById(positionId), openedAt: lots[0].openedAt });
    }
    return out;
  }

  private lotsOf(id: PositionId): Lot[] {
    let lots = this.lots.get(id);
    if (!lots) {
      lots = [];
      this.lots.set(id, lots);
    }
    return lots;
  }

  private shrink(lots: Lot[], take: number): void {
    const lot = lots[0];
    const rest = Math.abs(lot.quantity) - take;
    if (isZeroQuantity(rest)) lots.shift();
    else lot.quantity = Math.sign(lot.quantity) * rest;
  }
}

function averageCost(lots: Lot[]): void {
  let units = 0;
  let cost = 0;
  for (const lot of lots) {
    units += Math.abs(lot.quantity);
    cost += Math.abs(lot.quantity) * lot.costPerUnit;
  }
  const average = cost / units;
  for (const lot of lots) lot.costPerUnit = average;
}

/**
 * Cash and the day's activity: every cash leg of the replay goes through the
 * Cashbook, which keeps the balance and aggregates what a snapshot needs
 * (realized P&L, income, fees, external flows, transfers, cash per holding).
 */
import type { CalendarDate, PositionId } from '../../common/branded';
import type { DayActivity, GeneratedTransaction, RealizedMatch } from '../ledger.types';

interface DayDraft {
  realizedPnl: number;
  income: number;
  fees: number;
  cashFlows: number;
  transfers: Map<PositionId, number>;
  cashByHolding: Map<PositionId, number>;
  realized: RealizedMatch[];
  generated: GeneratedTransaction[];
}

function emptyDraft(): DayDraft {
  return { realizedPnl: 0, income: 0, fees: 0, cashFlows: 0, transfers: new Map(), cashByHolding: new Map(), realized: [], generated: [] };
}

function addTo<K>(map: Map<K, number>, key: K, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

export class Cashbook {
  private balance = 0;
  private cumulativeRealized = 0;
  private readonly allRealized: RealizedMatch[] = [];
  private day: DayDraft = emptyDraft();

  get cash(): number {
    return this.balance;
  }

  get cumulativeRealizedPnl(): number {
    return this.cumulativeRealized;
  }

  get realized(): readonly RealizedMatch[] {
    return this.allRealized;
  }

  /** Cash a holding paid (−) or received (+) for a trade, exercise leg or dividend. */
  holdingCash(id: PositionId, amount: number): void {
    this.balance += amount;
    addTo(this.day.cashByHolding, id, amount);
  }

  /** Deposits (+) and withdrawals (−): external flows. */
  externalFlow(amount: number): void {
    this.balance += amount;
    this.day.cashFlows += amount;
  }

  /** Dividends and interest (a short's dividend charge is negative income). */
  income(amount: number, holding: PositionId | null): void {
    if (holding) this.holdingCash(holding, amount);
    else this.balance += amount;
    this.day.income += amount;
  }

  /** A FEE transaction or a transfer's fees: paid in cash now. */
  fee(amount: number, holding: PositionId | null): void {
    if (holding) this.holdingCash(holding, -amount);
    else this.balance -= amount;
    this.day.fees += amount;
  }

  /** Fees already inside a trade's cash leg: counted, not paid twice. */
  countTradeFees(amount: number): void {
    this.day.fees += amount;
  }

  realize(matches: readonly RealizedMatch[]): void {
    for (const match of matches) {
      this.day.realizedPnl += match.realizedPnl;
      this.cumulativeRealized += match.realizedPnl;
      this.day.realized.push(match);
      this.allRealized.push(match);
    }
  }

  transfer(id: PositionId, signedQuantity: number): void {
    addTo(this.day.transfers, id, signedQuantity);
  }

  generate(tx: GeneratedTransaction): void {
    this.day.generated.push(tx);
  }

  /** The activity since the previous call, dated `date`; starts a new day. */
  closeDay(date: CalendarDate): DayActivity {
    const d = this.day;
    this.day = emptyDraft();
    return {
      date,
      realizedPnl: d.realizedPnl,
      income: d.income,
      fees: d.fees,
      cashFlows: d.cashFlows,
      transfers: [...d.transfers].map(([positionId, signedQuantity]) => ({ positionId, signedQuantity })),
      cashByHolding: d.cashByHolding,
      realized: d.realized,
      generated: d.generated,
    };
  }
}

import { Injectable } from '@nestjs/common';
import type { RiskPositionInput } from '../../analytics/calculators';
import type { CalendarDate, PortfolioId } from '../../common/branded';

/** A portfolio's holdings at a day's close in the risk calculators' form (only what risk needs: the cache holds a whole book). */
export interface DayHoldings {
  readonly totalValue: number;
  readonly positions: readonly RiskPositionInput[];
}


/** Portfolios held at most per process: beyond it the risk phase reads them back from the snapshots. */
const MAX_PORTFOLIOS = 20_000;

/**
 * Per process, the holdings the snapshot phase just booked for a run's date,
 * handed to the risk phase of the same run and date so it need not read and
 * parse them back from the snapshots it was written to. Taken once; a
 * portfolio booked by another process (or past the bound) is read from the
 * database instead.
 */
@Injectable()
export class DayHoldingsCache {
  private readonly days = new Map<string, Map<PortfolioId, DayHoldings>>();
  private size = 0;

  put(runId: string, date: CalendarDate, portfolioId: PortfolioId, holdings: DayHoldings): void {
    const key = `${runId}|${date}`;
    let day = this.days.get(key);
    if (!day) {
      if (this.size >= MAX_PORTFOLIOS) return;
      this.days.set(key, (day = new Map()));
    }
    if (!day.has(portfolioId)) {
      if (this.size >= MAX_PORTFOLIOS) return;
      this.size++;
    }
    day.set(portfolioId, holdings);
  }

  /** The cached holdings of `ids` for the run's date, removed from the cache. */
  take(runId: string, date: CalendarDate, ids: readonly PortfolioId[]): Map<PortfolioId, DayHoldings> {
    const out = new Map<PortfolioId, DayHoldings>();
    const key = `${runId}|${date}`;
    const day = this.days.get(key);
    if (!day) return out;
    for (const id of ids) {
      const h = day.get(id);
      if (!h) continue;
      out.set(id, h);
      day.delete(id);
      this.size--;
    }
    if (!day.size) this.days.delete(key);
    return out;
  }

  clear(runId: string): void {
    for (const [key, day] of this.days) {
      if (!key.startsWith(`${runId}|`)) continue;
      this.size -= day.size;
      this.days.delete(key);
    }
  }
}

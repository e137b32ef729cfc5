import { Injectable } from '@nestjs/common';
import type { PreviousSnapshot } from '../../analytics/snapshot.store';
import type { CalendarDate, PortfolioId, PositionId } from '../../common/branded';
import { LedgerFactsLoader } from '../../ledger/ledger-facts.loader';
import type { MarketFacts, PortfolioLedger } from '../../ledger/ledger.types';
import { PortfolioLedgerReader } from '../../ledger/portfolio-ledger.reader';
import { LedgerTailReader } from '../ledger-tail.reader';
import { pendingDividends, resumeFromSnapshot } from './ledger-checkpoint';

export interface LoadedLedger {
  readonly ledger: PortfolioLedger;
  readonly facts: MarketFacts;
  /** True when it resumes from the previous snapshot's lots (only the transactions after it were read). */
  readonly resumed: boolean;
}

/**
 * The ledgers of a chunk for the snapshot phase, set-based: a portfolio
 * whose previous snapshot stored its lots resumes from them (its holdings and
 * the transactions after that snapshot are read), the others are read whole;
 * one facts load for all. A resumption the stored state cannot describe
 * (see resumeFromSnapshot) is read whole in one more pass.
 */
@Injectable()
export class LedgerSource {
  constructor(
    private readonly reader: PortfolioLedgerReader,
    private readonly tail: LedgerTailReader,
    private readonly factsLoader: LedgerFactsLoader,
  ) {}

  async load(ids: readonly PortfolioId[], previous: ReadonlyMap<PortfolioId, PreviousSnapshot>, date: CalendarDate): Promise<Map<PortfolioId, LoadedLedger>> {
    const since = new Map<PortfolioId, CalendarDate>();
    const whole: PortfolioId[] = [];
    for (const id of ids) {
      const p = previous.get(id);
      if (p && p.lots !== null) since.set(id, p.date);
      else whole.push(id);
    }
    const [tails, fulls] = await Promise.all([this.tail.load(since), this.reader.load(whole)]);
    const facts = await this.factsLoader.load([...tails.values(), ...fulls.values()], date);
    const out = new Map<PortfolioId, LoadedLedger>();
    const { retry, traded } = await this.dividendChecks(tails, previous, facts);
    const cannot = new Set(retry);
    for (const [id, tail] of tails) {
      if (cannot.has(id)) continue;
      const resumed = resumeFromSnapshot(tail, previous.get(id)!, facts, traded.has(id));
      if (resumed) out.set(id, { ...resumed, resumed: true });
      else retry.push(id);
    }
    for (const [id, ledger] of fulls) out.set(id, { ledger, facts, resumed: false });
    if (retry.length) {
      const again = await this.reader.load(retry);
      const moreFacts = await this.factsLoader.load([...again.values()], date);
      for (const [id, ledger] of again) out.set(id, { ledger, facts: moreFacts, resumed: false });
    }
    return out;
  }

  /** Resumptions owed a dividend: those that cannot resume (a later split), and those whose holding traded since its ex-date (one statement). */
  private async dividendChecks(
    tails: ReadonlyMap<PortfolioId, PortfolioLedger>,
    previous: ReadonlyMap<PortfolioId, PreviousSnapshot>,
    facts: MarketFacts,
  ): Promise<{ retry: PortfolioId[]; traded: Set<PortfolioId> }> {
    const retry: PortfolioId[] = [];
    const checks: Array<{ portfolioId: PortfolioId; positionId: PositionId; from: CalendarDate; to: CalendarDate }> = [];
    for (const [id, tail] of tails) {
      const p = previous.get(id)!;
      const pending = pendingDividends(tail, p, facts);
      if (pending === null) retry.push(id);
      else for (const d of pending) checks.push({ portfolioId: id, positionId: d.positionId, from: d.exDate, to: p.date });
    }
    return { retry, traded: await this.tail.tradedBetween(checks) };
  }
}

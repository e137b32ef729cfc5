import { Injectable } from '@nestjs/common';
import type { PreviousSnapshot } from '../../analytics/snapshot.store';
import type { CalendarDate, PortfolioId } from '../../common/branded';
import { LedgerFactsLoader } from '../../ledger/ledger-facts.loader';
import type { MarketFacts, PortfolioLedger } from '../../ledger/ledger.types';
import { PortfolioLedgerReader } from '../../ledger/portfolio-ledger.reader';
import { LedgerTailReader } from '../ledger-tail.reader';
import { resumeFromSnapshot } from './ledger-checkpoint';

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
    const retry: PortfolioId[] = [];
    for (const [id, tail] of tails) {
      const resumed = resumeFromSnapshot(tail, previous.get(id)!, facts);
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
}

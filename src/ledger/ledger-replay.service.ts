import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CalendarDate, PortfolioId } from '../common/branded';
import { conflict } from '../common/errors';
import { replayLedger, validateLedger } from './engine';
import { LedgerFactsLoader } from './ledger-facts.loader';
import { LedgerError, type LedgerState, type PortfolioLedger } from './ledger.types';
import { PortfolioLedgerReader } from './portfolio-ledger.reader';

export interface ReplayedLedger {
  readonly ledger: PortfolioLedger;
  /** Advanced to the date, or up to the transaction that failed when `error` is set. */
  readonly state: LedgerState;
  /** Why the ledger does not replay (e.g. a sell beyond what a later corporate action left), else null. */
  readonly error: LedgerError | null;
}

/** Today in UTC, the clock of "not in the future" and of the derived book. */
export const todayUtc = (): CalendarDate => new Date().toISOString().slice(0, 10) as CalendarDate;

/**
 * Positions, lots, cash and realized P&L of many portfolios at a date: the
 * ledgers and their market facts read set-based (five statements), then
 * replayed by the engine.
 */
@Injectable()
export class LedgerReplayService {
  constructor(
    private readonly reader: PortfolioLedgerReader,
    private readonly facts: LedgerFactsLoader,
  ) {}

  async replayUpTo(ids: readonly PortfolioId[], upTo: CalendarDate = todayUtc(), em?: EntityManager): Promise<Map<PortfolioId, ReplayedLedger>> {
    const ledgers = await this.reader.load(ids, em);
    const facts = await this.facts.load([...ledgers.values()], upTo, em);
    const out = new Map<PortfolioId, ReplayedLedger>();
    for (const [id, ledger] of ledgers) {
      const state = replayLedger(ledger, facts);
      let error: LedgerError | null = null;
      try {
        state.advanceTo(upTo);
      } catch (e) {
        if (!(e instanceof LedgerError)) throw e;
        error = e;
      }
      out.set(id, { ledger, state, error });
    }
    return out;
  }

  /** Why the stored ledger of `id` does not replay up to `upTo`, or null when it does. */
  async refusal(id: PortfolioId, upTo: CalendarDate = todayUtc(), em?: EntityManager): Promise<LedgerError | null> {
    const ledger = (await this.reader.load([id], em)).get(id);
    if (!ledger) return null;
    return validateLedger(ledger, await this.facts.load([ledger], upTo, em), upTo);
  }

  /** One portfolio's replay; 409 with the reason when its ledger does not replay. */
  async replayOne(id: PortfolioId, upTo: CalendarDate = todayUtc(), em?: EntityManager): Promise<ReplayedLedger> {
    const one = (await this.replayUpTo([id], upTo, em)).get(id);
    if (!one) throw new Error(`portfolio ${id} vanished`);
    if (one.error) throw conflict(`The ledger cannot be replayed: ${one.error.message}; correct it at /api/v1/portfolio/${id}/transactions`);
    return one;
  }
}

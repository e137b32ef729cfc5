import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CalendarDate } from '../common/branded';
import { CorporateActionStore } from '../market-data/corporate-action.store';
import { PriceStore } from '../market-data/price-store';
import type { CorporateAction, MarketFacts, PortfolioLedger } from './ledger.types';

/** How far back a close may be taken for a date (a holiday or a missing day). */
export const CLOSE_LOOKBACK_DAYS = 7;

/** The (symbol, date) closes a replay up to `upTo` asks for: expirations and early exercises, priced by the underlying. */
export function closesNeeded(ledgers: readonly PortfolioLedger[], upTo: CalendarDate): Array<{ symbol: string; date: CalendarDate }> {
  const pairs = new Map<string, { symbol: string; date: CalendarDate }>();
  const add = (symbol: string, date: CalendarDate) => pairs.set(`${symbol}|${date}`, { symbol, date });
  for (const ledger of ledgers) {
    for (const h of ledger.holdings.values()) {
      if (h.expirationDate && h.expirationDate <= upTo) add(h.underlyingSymbol ?? h.symbol, h.expirationDate);
    }
    for (const t of ledger.transactions) {
      if ((t.type === 'EXERCISE' || t.type === 'ASSIGN') && t.positionId && t.date <= upTo) {
        const h = ledger.holdings.get(t.positionId);
        if (h) add(h.underlyingSymbol ?? h.symbol, t.date);
      }
    }
  }
  return [...pairs.values()];
}

/** Every symbol whose corporate actions touch the ledgers (holdings and option underlyings). */
export function symbolsOf(ledgers: readonly PortfolioLedger[]): string[] {
  const symbols = new Set<string>();
  for (const ledger of ledgers) {
    for (const h of ledger.holdings.values()) {
      symbols.add(h.symbol);
      if (h.underlyingSymbol) symbols.add(h.underlyingSymbol);
    }
  }
  return [...symbols].sort();
}

/**
 * The market facts a replay of many ledgers needs, in two statements: the
 * symbols' corporate actions and the closes on the dates the replay prices
 * (an option's expiration, an early exercise). `close` is the last close on
 * or before the date within CLOSE_LOOKBACK_DAYS, else null.
 */
@Injectable()
export class LedgerFactsLoader {
  constructor(
    private readonly actions: CorporateActionStore,
    private readonly prices: PriceStore,
  ) {}

  /** With `em`, every read goes through that transaction's connection (the embedded database serves one transaction at a time). */
  async load(ledgers: readonly PortfolioLedger[], upTo: CalendarDate, em?: EntityManager): Promise<MarketFacts> {
    const [actions, closes] = await Promise.all([
      this.actions.forSymbols(symbolsOf(ledgers), upTo, em),
      this.prices.closesOnOrBefore(closesNeeded(ledgers, upTo), CLOSE_LOOKBACK_DAYS, em),
    ]);
    const none: readonly CorporateAction[] = [];
    return {
      actions: (symbol) => actions.get(symbol) ?? none,
      close: (symbol, date) => closes.get(`${symbol}|${date}`) ?? null,
    };
  }
}

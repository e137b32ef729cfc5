import type { PreviousSnapshot } from '../../analytics/snapshot.store';
import type { CorporateAction, LedgerTransaction, MarketFacts, PortfolioLedger, TransactionId } from '../../ledger/ledger.types';

/**
 * Resuming a replay from a stored snapshot instead of from the first
 * transaction: the snapshot's open lots come back as transfers in dated at
 * their opening (cost per unit as price, no fees), its cash as one deposit
 * (or withdrawal), followed by the transactions after its date; corporate
 * actions with an ex-date on or before it are already in the lots. The
 * caller advances to the snapshot's date first and books from the next day,
 * so the synthetic entries never reach a snapshot. Only what the stored
 * state fully describes resumes this way; null means "replay from the
 * start": no lots stored, a lot of a holding not stored, an option at or
 * past its expiry (its expiry waited for a close), or a dividend whose
 * ex-date is passed but not its pay date (its amount depends on the
 * quantity held at the ex-date).
 */
export function resumeFromSnapshot(tail: PortfolioLedger, previous: PreviousSnapshot, facts: MarketFacts): { ledger: PortfolioLedger; facts: MarketFacts } | null {
  if (previous.lots === null) return null;
  const synthetic: LedgerTransaction[] = [];
  let sequence = Number.MIN_SAFE_INTEGER;
  const entry = (fields: Omit<LedgerTransaction, 'id' | 'sequence' | 'fees' | 'ratio' | 'source'>): void => {
    synthetic.push({ ...fields, id: `checkpoint:${synthetic.length}` as TransactionId, sequence: sequence++, fees: 0, ratio: null, source: 'user' });
  };
  for (const [positionId, lots] of previous.lots) {
    const holding = tail.holdings.get(positionId);
    if (!holding || (holding.expirationDate !== null && holding.expirationDate <= previous.date)) return null;
    for (const lot of lots) {
      entry({ type: 'TRANSFER_IN', date: lot.opened_at, positionId, quantity: Math.abs(lot.quantity), price: lot.cost_per_unit, amount: null });
    }
  }
  if (dividendPending(tail, previous, facts)) return null;
  if (previous.cash !== 0) entry({ type: previous.cash > 0 ? 'DEPOSIT' : 'WITHDRAWAL', date: previous.date, positionId: null, quantity: null, price: null, amount: Math.abs(previous.cash) });
  synthetic.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sequence - b.sequence));
  return {
    ledger: { ...tail, transactions: [...synthetic, ...tail.transactions], inceptionDate: synthetic[0]?.date ?? tail.inceptionDate },
    facts: actionsAfter(facts, previous.date),
  };
}

function dividendPending(ledger: PortfolioLedger, previous: PreviousSnapshot, facts: MarketFacts): boolean {
  const symbols = new Set<string>();
  for (const h of ledger.holdings.values()) symbols.add(h.symbol);
  for (const s of symbols) {
    for (const a of facts.actions(s)) {
      if (a.type === 'CASH_DIVIDEND' && a.exDate <= previous.date && (a.payDate ?? a.exDate) > previous.date) return true;
    }
  }
  return false;
}

/** The facts without the actions already applied to the stored lots. */
function actionsAfter(facts: MarketFacts, date: string): MarketFacts {
  const memo = new Map<string, readonly CorporateAction[]>();
  return {
    close: (symbol, day) => facts.close(symbol, day),
    actions: (symbol) => {
      let list = memo.get(symbol);
      if (!list) memo.set(symbol, (list = facts.actions(symbol).filter((a) => a.exDate > date)));
      return list;
    },
  };
}

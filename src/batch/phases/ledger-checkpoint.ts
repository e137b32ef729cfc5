import type { PreviousSnapshot } from '../../analytics/snapshot.store';
import type { CalendarDate, PositionId } from '../../common/branded';
import type { CorporateAction, LedgerTransaction, MarketFacts, PortfolioLedger, TransactionId } from '../../ledger/ledger.types';

/**
 * Resuming a replay from a stored snapshot instead of from the first
 * transaction: the snapshot's open lots come back as transfers in dated at
 * their opening (cost per unit as price, no fees), its cash as one deposit
 * (or withdrawal), followed by the transactions after its date; corporate
 * actions with an ex-date on or before it are already in the lots. The
 * caller advances to the snapshot's date first and books from the next day,
 * so the synthetic entries never reach a snapshot. A dividend past its
 * ex-date but not yet paid stays in the facts: the lots opened before its
 * ex-date are what was held then, provided the holding did not trade since
 * (`tradedSinceExDate`, see pendingDividends). Only what the stored state
 * fully describes resumes this way; null means "replay from the start": no
 * lots stored, a lot of a holding not stored, an option at or past its
 * expiry (its expiry waited for a close) or whose underlying split while it
 * was held (the replay adjusts its strike, the stored holding keeps the
 * original), or such a trade.
 */
export function resumeFromSnapshot(
  tail: PortfolioLedger,
  previous: PreviousSnapshot,
  facts: MarketFacts,
  tradedSinceExDate: boolean,
): { ledger: PortfolioLedger; facts: MarketFacts } | null {
  if (previous.lots === null || tradedSinceExDate) return null;
  const synthetic: LedgerTransaction[] = [];
  let sequence = Number.MIN_SAFE_INTEGER;
  // one object shape for every entry (a spread per lot made them slow dictionaries)
  const entry = (type: LedgerTransaction['type'], date: CalendarDate, positionId: PositionId | null, quantity: number | null, price: number | null, amount: number | null): void => {
    synthetic.push({ id: `checkpoint:${synthetic.length}` as TransactionId, type, date, sequence: sequence++, positionId, quantity, price, fees: 0, amount, ratio: null, source: 'user' });
  };
  for (const [positionId, lots] of previous.lots) {
    const holding = tail.holdings.get(positionId);
    if (!holding || (holding.expirationDate !== null && holding.expirationDate <= previous.date)) return null;
    if (holding.underlyingSymbol !== null && splitWhileHeld(facts.actions(holding.underlyingSymbol), lots, previous.date)) return null;
    for (const lot of lots) entry('TRANSFER_IN', lot.opened_at, positionId, Math.abs(lot.quantity), lot.cost_per_unit, null);
  }
  if (previous.cash !== 0) entry(previous.cash > 0 ? 'DEPOSIT' : 'WITHDRAWAL', previous.date, null, null, null, Math.abs(previous.cash));
  synthetic.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sequence - b.sequence));
  return {
    ledger: { ...tail, transactions: [...synthetic, ...tail.transactions], inceptionDate: synthetic[0]?.date ?? tail.inceptionDate },
    facts: actionsAfter(facts, previous.date),
  };
}

/** A split of the underlying after the option's first open lot and on or before `upTo`. */
function splitWhileHeld(actions: readonly CorporateAction[], lots: readonly { opened_at: CalendarDate }[], upTo: CalendarDate): boolean {
  if (!lots.length) return false;
  const first = lots.reduce((m, l) => (l.opened_at < m ? l.opened_at : m), lots[0].opened_at);
  return actions.some((a) => a.type === 'SPLIT' && a.exDate > first && a.exDate <= upTo);
}

const payDateOf = (a: CorporateAction): CalendarDate => (a.payDate !== null && a.payDate > a.exDate ? a.payDate : a.exDate);

/**
 * The stock holdings owed a dividend at the snapshot's date (ex-date passed,
 * pay date not): the caller checks none of them traded from its ex-date to
 * the snapshot's date. Null when a split of the symbol came after the
 * ex-date (the lots no longer count the shares of the ex-date).
 */
export function pendingDividends(ledger: PortfolioLedger, previous: PreviousSnapshot, facts: MarketFacts): Array<{ positionId: PositionId; exDate: CalendarDate }> | null {
  const out: Array<{ positionId: PositionId; exDate: CalendarDate }> = [];
  for (const h of ledger.holdings.values()) {
    if (h.expirationDate !== null || h.underlyingSymbol !== null) continue;
    const actions = facts.actions(h.symbol);
    for (const a of actions) {
      if (a.type !== 'CASH_DIVIDEND' || a.exDate > previous.date || payDateOf(a) <= previous.date) continue;
      if (actions.some((s) => s.type === 'SPLIT' && s.exDate > a.exDate && s.exDate <= previous.date)) return null;
      out.push({ positionId: h.id, exDate: a.exDate });
    }
  }
  return out;
}

/** actionsAfter per facts object and date: a chunk's resumed ledgers share one facts load and (nightly) one snapshot date. */
const resumedFacts = new WeakMap<MarketFacts, Map<string, MarketFacts>>();

/** The facts without the actions already in the stored lots and cash (dividends still to pay stay); one filtered list per symbol. */
function actionsAfter(facts: MarketFacts, date: string): MarketFacts {
  let byDate = resumedFacts.get(facts);
  if (!byDate) resumedFacts.set(facts, (byDate = new Map()));
  let out = byDate.get(date);
  if (out) return out;
  const memo = new Map<string, readonly CorporateAction[]>();
  out = {
    close: (symbol, day) => facts.close(symbol, day),
    actions: (symbol) => {
      let list = memo.get(symbol);
      if (!list) memo.set(symbol, (list = facts.actions(symbol).filter((a) => a.exDate > date || (a.type === 'CASH_DIVIDEND' && payDateOf(a) > date))));
      return list;
    },
  };
  byDate.set(date, out);
  return out;
}

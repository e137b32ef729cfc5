import type { PositionId } from '../common/branded';
import type { Holding, LedgerTransaction, PortfolioLedger, TransactionId } from './ledger.types';
import type { ResolvedHolding } from './holding-resolution';
import type { ValidTransaction } from './transaction-rules';

/** The id a not-yet-stored transaction carries in a candidate ledger: its index in the entry. */
export const candidateId = (item: number) => `candidate:${item}` as TransactionId;
export const candidateItem = (id: TransactionId | undefined): number | null =>
  id && id.startsWith('candidate:') ? Number(id.slice('candidate:'.length)) : null;

/** The engine's view of a checked transaction on its resolved holding. */
export function toLedgerTransaction(id: TransactionId, sequence: number, tx: ValidTransaction, holding: Holding | null): LedgerTransaction {
  return {
    id, type: tx.type, date: tx.date, sequence, positionId: holding?.id ?? null, quantity: tx.quantity, price: tx.price,
    fees: tx.fees, amount: tx.amount, ratio: null, source: 'user',
  };
}

/**
 * The ledger as it would be after an entry: `add` appended after every stored
 * transaction (in entry order), `replace` swapping a stored one in place (same
 * sequence), `remove` dropping one. The engine replays it to accept or refuse the entry.
 */
export function candidateLedger(
  ledger: PortfolioLedger,
  change: {
    add?: ReadonlyArray<{ tx: ValidTransaction; resolved: ResolvedHolding | null }>;
    replace?: { id: TransactionId; tx: ValidTransaction; resolved: ResolvedHolding | null };
    remove?: TransactionId;
  },
): PortfolioLedger {
  const holdings = new Map<PositionId, Holding>(ledger.holdings);
  const resolvedAll = [...(change.add ?? []).map((a) => a.resolved), change.replace?.resolved ?? null];
  for (const r of resolvedAll) if (r?.isNew) holdings.set(r.holding.id, r.holding);
  let transactions = ledger.transactions.filter((t) => t.id !== change.remove);
  if (change.replace) {
    const { id, tx, resolved } = change.replace;
    transactions = transactions.map((t) => (t.id === id ? toLedgerTransaction(id, t.sequence, tx, resolved?.holding ?? null) : t));
  }
  let sequence = ledger.transactions.reduce((m, t) => Math.max(m, t.sequence), 0);
  const added = (change.add ?? []).map((a, i) => toLedgerTransaction(candidateId(i), ++sequence, a.tx, a.resolved?.holding ?? null));
  const all = [...transactions, ...added].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sequence - b.sequence));
  return { ...ledger, holdings, transactions: all, inceptionDate: all[0]?.date ?? null };
}

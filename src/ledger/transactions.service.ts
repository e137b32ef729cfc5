import { Injectable } from '@nestjs/common';
import type { PortfolioId, UserId } from '../common/branded';
import { conflict, notFound } from '../common/errors';
import { candidateLedger } from './candidate-ledger';
import { entryRejected, EntryError } from './entry-errors';
import { earliest, LedgerEntryService, toNewTransaction } from './ledger-entry.service';
import { todayUtc } from './ledger-replay.service';
import type { TransactionId } from './ledger.types';
import { LedgerWriter } from './ledger.writer';
import { PortfolioAccess } from './portfolio-access';
import { parseTransactionsCsv } from './transaction-csv';
import { TransactionDraft, validateTransaction, ValidTransaction } from './transaction-rules';
import { TransactionFilter, TransactionRecord, TransactionStore } from './transaction.store';

/** The fields sent, without those left undefined (DTO instances carry every declared field). */
const sent = <T extends object>(dto: T): Partial<T> => Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;

function checked(draft: TransactionDraft): ValidTransaction {
  const { value, errors } = validateTransaction(draft, todayUtc());
  if (!value) throw entryRejected(errors.map((e) => ({ item: 0, field: e.field ?? e.column ?? 'body', message: e.message })), [{}]);
  return value;
}

/** A stored transaction as a draft again, to merge an edit into. */
function draftOf(r: TransactionRecord): TransactionDraft {
  return {
    type: r.type, date: r.date, symbol: r.symbol, quantity: r.quantity, price: r.price, fees: r.fees, amount: r.amount, note: r.note,
    // a transfer's direction is its holding's; a trade's follows from its type
    position_type: r.type.startsWith('TRANSFER') ? r.position_type : null,
  };
}

/** The transaction routes (DESIGN §8): entry, edit and delete checked against the whole ledger; listing. */
@Injectable()
export class TransactionsService {
  constructor(
    private readonly entry: LedgerEntryService,
    private readonly store: TransactionStore,
    private readonly writer: LedgerWriter,
    private readonly access: PortfolioAccess,
  ) {}

  async list(userId: UserId, portfolioId: PortfolioId, filter: TransactionFilter) {
    await this.access.assertOwned(userId, portfolioId);
    return this.store.list(portfolioId, filter);
  }

  async create(userId: UserId, portfolioId: PortfolioId, draft: TransactionDraft): Promise<TransactionRecord> {
    const tx = checked(draft);
    await this.entry.fetchPrices(userId, portfolioId, [{ tx }]);
    const [id] = await this.entry.withLockedLedger(userId, portfolioId, (em, ledger) => this.entry.append(em, ledger, [{ tx }], { checkPrices: true }));
    return (await this.store.find(portfolioId, id))!;
  }

  async import(userId: UserId, portfolioId: PortfolioId, text: string): Promise<TransactionRecord[]> {
    await this.access.assertOwned(userId, portfolioId);
    const parsed = parseTransactionsCsv(text, todayUtc());
    if (parsed.errors.length) throw entryRejected(parsed.errors, parsed.sources);
    await this.entry.fetchPrices(userId, portfolioId, parsed.items);
    const ids = await this.entry.withLockedLedger(userId, portfolioId, (em, ledger) => this.entry.append(em, ledger, parsed.items, { checkPrices: true }));
    return this.store.findMany(ids);
  }

  async update(userId: UserId, portfolioId: PortfolioId, id: string, changes: TransactionDraft): Promise<TransactionRecord> {
    await this.access.assertOwned(userId, portfolioId);
    const before = await this.userTransaction(portfolioId, id);
    await this.entry.fetchPrices(userId, portfolioId, [{ tx: checked({ ...draftOf(before), ...sent(changes) }) }]);
    await this.entry.withLockedLedger(userId, portfolioId, async (em, ledger) => {
      const old = await this.userTransaction(portfolioId, id, em);
      const tx = checked({ ...draftOf(old), ...sent(changes) });
      const errors: EntryError[] = [];
      const [resolved] = this.entry.resolveAll(ledger, [{ tx }], errors);
      if (!errors.length && (tx.date !== old.date || tx.type !== old.type || resolved?.holding.id !== old.position_id)) await this.entry.requirePrices([{ tx }], [resolved], errors, em);
      if (errors.length) throw entryRejected(errors, [{}]);
      const candidate = candidateLedger(ledger, { replace: { id: id as TransactionId, tx, resolved } });
      await this.entry.checkReplay(candidate, em, [{}]);
      if (resolved?.isNew) await this.writer.insertHoldings(em, portfolioId, [resolved.holding]);
      await this.store.update(em, id, toNewTransaction(tx, resolved));
      await this.writer.markStale(em, [portfolioId], earliest([old.date, tx.date]));
    });
    return (await this.store.find(portfolioId, id))!;
  }

  async remove(userId: UserId, portfolioId: PortfolioId, id: string): Promise<void> {
    await this.entry.withLockedLedger(userId, portfolioId, async (em, ledger) => {
      const old = await this.userTransaction(portfolioId, id, em);
      await this.entry.checkReplay(candidateLedger(ledger, { remove: id as TransactionId }), em, [{}]);
      await this.store.remove(em, id);
      await this.writer.markStale(em, [portfolioId], old.date);
    });
  }

  /** A user transaction of the portfolio; 404 when missing, 409 for a system one (read-only). */
  private async userTransaction(portfolioId: PortfolioId, id: string, em?: Parameters<TransactionStore['find']>[2]): Promise<TransactionRecord> {
    const old = await this.store.find(portfolioId, id, em);
    if (!old) throw notFound('Transaction');
    if (old.source === 'system') throw conflict('System transactions are written by the batch and are read-only');
    return old;
  }
}

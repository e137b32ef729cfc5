import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { PortfolioId, PositionId, UserId } from '../common/branded';
import { notFound } from '../common/errors';
import { sqlRows } from '../database/sql';
import { LedgerEntryService } from '../ledger/ledger-entry.service';
import { LedgerReplayService } from '../ledger/ledger-replay.service';
import type { PortfolioLedger } from '../ledger/ledger.types';
import { LedgerWriter } from '../ledger/ledger.writer';
import type { ValidPosition } from './position-rules';
import { transferInOf, validPositionOrThrow } from './position-input';
import { openPositionViews, PositionView, toPositionView } from './position-views';
import { PositionEntity } from './position.entity';
import { CreatePositionDto, UpdatePositionDto } from './position.dto';
import { PositionEdit } from './position-edit';
import { PositionTagStore } from './position-tag.store';

/**
 * The position routes on the ledger: a position is a holding with its open
 * lots summed; adding one (or importing rows) writes TRANSFER_INs.
 */
@Injectable()
export class PositionsService {
  constructor(
    @InjectRepository(PositionEntity) private readonly holdings: Repository<PositionEntity>,
    private readonly entry: LedgerEntryService,
    private readonly replay: LedgerReplayService,
    private readonly writer: LedgerWriter,
    private readonly edit: PositionEdit,
    private readonly tags: PositionTagStore,
  ) {}

  async list(portfolioId: PortfolioId): Promise<PositionView[]> {
    const [{ state }, rows, tags] = await Promise.all([this.replay.replayOne(portfolioId), this.rows(portfolioId), this.tags.tagsOf([portfolioId])]);
    return openPositionViews(portfolioId, state, rows, tags);
  }

  /** The views of the given holdings after a write (summed, in the order given). */
  async views(portfolioId: PortfolioId, ids: readonly string[]): Promise<PositionView[]> {
    const [{ state }, rows, tags] = await Promise.all([this.replay.replayOne(portfolioId), this.rows(portfolioId), this.tags.tagsOf([portfolioId])]);
    const open = new Map(state.positions().map((p) => [p.holding.id as string, p]));
    return [...new Set(ids)].map((id) => toPositionView(portfolioId, rows.get(id), open.get(id), state.holdings.get(id as PositionId)!, tags.get(id as PositionId)));
  }

  /**
   * Replaces a holding's tags (validated at the edge); the holding must be one
   * of the portfolio's (else 404). Its lots inherit them.
   */
  async setTags(portfolioId: PortfolioId, positionId: PositionId, tags: string[]): Promise<{ position_id: PositionId; tags: string[] }> {
    const saved = await this.holdings.manager.transaction(async (em) => {
      // the holding's row lock orders concurrent replacements of its tags
      const held = await sqlRows(em, `SELECT 1 FROM positions WHERE id = $1 AND portfolio_id = $2 FOR UPDATE`, [positionId, portfolioId]);
      if (!held.length) throw notFound('Position');
      return this.tags.replace(portfolioId, positionId, tags, em);
    });
    return { position_id: positionId, tags: saved };
  }

  async add(userId: UserId, portfolioId: PortfolioId, dto: CreatePositionDto): Promise<PositionView> {
    const [id] = await this.store(userId, portfolioId, [validPositionOrThrow(dto)], 'append');
    return (await this.views(portfolioId, [id]))[0];
  }

  /**
   * All-or-nothing TRANSFER_INs of validated positions (rows numbered for the
   * CSV's errors); `replace` first removes every transaction and holding.
   * Returns the holding id of each row.
   */
  async store(userId: UserId | null, portfolioId: PortfolioId, rows: ValidPosition[], mode: 'append' | 'replace', lines?: number[]): Promise<string[]> {
    return this.entry.withLockedLedger(userId, portfolioId, async (em, stored) => {
      const ledger = mode === 'replace' ? await this.clear(em, stored) : stored;
      const items = rows.map((r, i) => ({ tx: transferInOf(r), ...(lines ? { row: i + 1, line: lines[i] } : {}) }));
      const txIds = await this.entry.append(em, ledger, items, { checkPrices: false });
      const byTx: Array<{ position_id: string }> = await sqlRows(em,
        `SELECT position_id FROM transactions t JOIN unnest($1::uuid[]) WITH ORDINALITY AS x(id, n) ON x.id = t.id ORDER BY x.n`, [txIds]);
      return byTx.map((r) => r.position_id);
    });
  }

  async update(userId: UserId, portfolioId: PortfolioId, positionId: string, dto: UpdatePositionDto): Promise<PositionView> {
    await this.entry.withLockedLedger(userId, portfolioId, async (em, ledger) => {
      const row = await this.owned(portfolioId, positionId, em);
      await this.edit.apply(em, ledger, row, dto);
    });
    return (await this.views(portfolioId, [positionId]))[0];
  }

  /** Deletes the holding with its transactions; snapshots from its first transaction are stale. */
  async remove(userId: UserId, portfolioId: PortfolioId, positionId: string): Promise<void> {
    await this.entry.withLockedLedger(userId, portfolioId, async (em, ledger) => {
      await this.owned(portfolioId, positionId, em);
      const first = ledger.transactions.find((t) => t.positionId === positionId);
      await em.delete(PositionEntity, { id: positionId, portfolioId });
      if (first) await this.writer.markStale(em, [portfolioId], first.date);
    });
  }

  private async clear(em: EntityManager, ledger: PortfolioLedger): Promise<PortfolioLedger> {
    await sqlRows(em, `DELETE FROM transactions WHERE portfolio_id = $1`, [ledger.portfolioId]);
    await sqlRows(em, `DELETE FROM positions WHERE portfolio_id = $1`, [ledger.portfolioId]);
    if (ledger.inceptionDate) await this.writer.markStale(em, [ledger.portfolioId], ledger.inceptionDate);
    return { ...ledger, holdings: new Map(), transactions: [], inceptionDate: null };
  }

  private async owned(portfolioId: PortfolioId, positionId: string, em: EntityManager): Promise<PositionEntity> {
    const row = await em.findOne(PositionEntity, { where: { id: positionId, portfolioId } });
    if (!row) throw notFound('Position');
    return row;
  }

  private async rows(portfolioId: PortfolioId): Promise<Map<string, PositionEntity>> {
    const list = await this.holdings.find({ where: { portfolioId } });
    return new Map(list.map((r) => [r.id, r]));
  }
}

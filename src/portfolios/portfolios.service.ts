import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { badRequest, notFound } from '../common/errors';
import type { PortfolioId, UserId } from '../common/branded';
import { LedgerEntryService } from '../ledger/ledger-entry.service';
import { LedgerReplayService, todayUtc } from '../ledger/ledger-replay.service';
import type { ValidTransaction } from '../ledger/transaction-rules';
import { LedgerWriter } from '../ledger/ledger.writer';
import { CreatePortfolioDto, UpdatePortfolioDto } from './portfolio.dto';
import { PortfolioEntity } from './portfolio.entity';
import type { PortfolioSummary } from './portfolio.views';
import { numericColumnProblem, roundToScale6 } from '../common/numeric-input';

export { todayUtc };

/** A cash flow dated today that moves the derived cash by `delta`; null when it rounds to nothing. */
function cashFlowToday(delta: number): ValidTransaction | null {
  const amount = roundToScale6(Math.abs(delta));
  if (amount === 0) return null;
  const problem = numericColumnProblem(amount);
  if (problem) throw badRequest(`cash_balance: ${problem}`, { errors: [{ field: 'cash_balance', message: problem }] });
  return {
    type: delta > 0 ? 'DEPOSIT' : 'WITHDRAWAL', date: todayUtc(), symbol: null, quantity: null, price: null, fees: 0, amount, note: 'cash_balance set on the portfolio',
    positionType: null, optionType: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, impliedVolatility: null,
  };
}

/** Portfolios; their cash and positions are derived from the ledger. */
@Injectable()
export class PortfoliosService {
  constructor(
    @InjectRepository(PortfolioEntity) private readonly portfolios: Repository<PortfolioEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly entry: LedgerEntryService,
    private readonly replay: LedgerReplayService,
    private readonly writer: LedgerWriter,
  ) {}

  async list(userId: UserId): Promise<Array<{ portfolio: PortfolioEntity; summary: PortfolioSummary }>> {
    const rows = await this.portfolios.find({ where: { userId }, order: { createdAt: 'ASC' } });
    const summaries = await this.summaries(rows.map((r) => r.id as PortfolioId));
    return rows.map((portfolio) => ({ portfolio, summary: summaries.get(portfolio.id as PortfolioId)! }));
  }

  /** Cash and open positions today, for many portfolios at once. */
  async summaries(ids: PortfolioId[]): Promise<Map<PortfolioId, PortfolioSummary>> {
    const replayed = await this.replay.replayUpTo(ids);
    return new Map(ids.map((id) => {
      const state = replayed.get(id)?.state;
      return [id, { cash: state ? roundToScale6(state.cash) : 0, positionCount: state?.positions().length ?? 0 }];
    }));
  }

  async summary(id: PortfolioId): Promise<PortfolioSummary> {
    return (await this.summaries([id])).get(id)!;
  }

  /** The portfolio if it exists and belongs to the user; otherwise 404 (never reveal others' ids). */
  async getOwned(userId: UserId, id: PortfolioId): Promise<PortfolioEntity> {
    const p = await this.portfolios.findOne({ where: { id, userId } });
    if (!p) throw notFound('Portfolio');
    return p;
  }

  /** For admin paths: the portfolio regardless of owner. */
  async getAny(id: PortfolioId): Promise<PortfolioEntity> {
    const p = await this.portfolios.findOne({ where: { id } });
    if (!p) throw notFound('Portfolio');
    return p;
  }

  /** A new portfolio; a non-zero cash_balance is its opening DEPOSIT (or WITHDRAWAL) today. */
  async create(userId: UserId, dto: CreatePortfolioDto): Promise<PortfolioEntity> {
    const flow = cashFlowToday(dto.cash_balance ?? 0);
    const saved = await this.dataSource.transaction(async (em) => {
      const p = await em.save(em.create(PortfolioEntity, { userId, name: dto.name, currency: dto.currency ?? 'USD', costBasisMethod: dto.cost_basis_method ?? 'FIFO' }));
      if (flow) {
        const ledger = { portfolioId: p.id as PortfolioId, costBasisMethod: p.costBasisMethod, holdings: new Map(), transactions: [], inceptionDate: null, staleFrom: null };
        await this.entry.append(em, ledger, [{ tx: flow }], { checkPrices: false });
      }
      return p;
    });
    return this.getOwned(userId, saved.id as PortfolioId);
  }

  async update(userId: UserId, id: PortfolioId, dto: UpdatePortfolioDto): Promise<PortfolioEntity> {
    await this.entry.withLockedLedger(userId, id, async (em, ledger) => {
      const p = await em.findOneByOrFail(PortfolioEntity, { id });
      if (dto.name !== undefined) p.name = dto.name;
      if (dto.currency !== undefined) p.currency = dto.currency;
      if (dto.cost_basis_method !== undefined && dto.cost_basis_method !== p.costBasisMethod) {
        p.costBasisMethod = dto.cost_basis_method;
        if (ledger.inceptionDate) await this.writer.markStale(em, [id], ledger.inceptionDate);
      }
      await em.save(p);
      if (dto.cash_balance !== undefined) {
        const { state } = await this.replay.replayOne(id, todayUtc(), em);
        const flow = cashFlowToday(dto.cash_balance - state.cash);
        if (flow) await this.entry.append(em, ledger, [{ tx: flow }], { checkPrices: false });
      }
    });
    return this.getOwned(userId, id);
  }

  /** Deletes the portfolio with its ledger, snapshots and analytics (FK cascade); batch-run history stays. */
  async remove(userId: UserId, id: PortfolioId): Promise<void> {
    await this.getOwned(userId, id);
    await this.portfolios.delete({ id, userId });
  }
}

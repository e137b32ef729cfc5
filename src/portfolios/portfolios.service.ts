import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { badRequest, notFound } from '../common/errors';
import type { PortfolioId, UserId } from '../common/branded';
import { CreatePortfolioDto, UpdatePortfolioDto } from './portfolio.dto';
import { PortfolioEntity } from './portfolio.entity';
import { PositionEntity } from './position.entity';
import { CreatePositionDto, UpdatePositionDto } from './position.dto';
import { PositionDraft, ValidPosition, validatePosition } from './position-rules';

export const todayUtc = () => new Date().toISOString().slice(0, 10);

@Injectable()
export class PortfoliosService {
  constructor(
    @InjectRepository(PortfolioEntity) private readonly portfolios: Repository<PortfolioEntity>,
    @InjectRepository(PositionEntity) private readonly positions: Repository<PositionEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(userId: UserId): Promise<Array<{ portfolio: PortfolioEntity; positionCount: number }>> {
    const rows = await this.portfolios.find({ where: { userId }, order: { createdAt: 'ASC' } });
    if (rows.length === 0) return [];
    const counts: Array<{ portfolio_id: string; n: string }> = await this.positions
      .createQueryBuilder('p')
      .select('p.portfolio_id', 'portfolio_id')
      .addSelect('count(*)', 'n')
      .where({ portfolioId: In(rows.map((r) => r.id)) })
      .groupBy('p.portfolio_id')
      .getRawMany();
    const byId = new Map(counts.map((c) => [c.portfolio_id, Number(c.n)]));
    return rows.map((portfolio) => ({ portfolio, positionCount: byId.get(portfolio.id) ?? 0 }));
  }

  /** The portfolio if it exists and belongs to the user; otherwise 404 (never reveal others' ids). */
  async getOwned(userId: UserId, id: PortfolioId): Promise<PortfolioEntity> {
    const p = await this.portfolios.findOne({ where: { id, userId } });
    if (!p) throw notFound('Portfolio');
    return p;
  }

  countPositions(id: string): Promise<number> {
    return this.positions.count({ where: { portfolioId: id } });
  }

  /** For admin paths: the portfolio regardless of owner. */
  async getAny(id: PortfolioId): Promise<PortfolioEntity> {
    const p = await this.portfolios.findOne({ where: { id } });
    if (!p) throw notFound('Portfolio');
    return p;
  }

  create(userId: UserId, dto: CreatePortfolioDto): Promise<PortfolioEntity> {
    return this.portfolios.save(this.portfolios.create({ userId, name: dto.name, currency: dto.currency ?? 'USD', cashBalance: dto.cash_balance ?? 0 }));
  }

  async update(userId: UserId, id: PortfolioId, dto: UpdatePortfolioDto): Promise<PortfolioEntity> {
    const p = await this.getOwned(userId, id);
    if (dto.name !== undefined) p.name = dto.name;
    if (dto.currency !== undefined) p.currency = dto.currency;
    if (dto.cash_balance !== undefined) p.cashBalance = dto.cash_balance;
    return this.portfolios.save(p);
  }

  /** Deletes the portfolio with its positions, snapshots and analytics (FK cascade); batch-run history stays. */
  async remove(userId: UserId, id: PortfolioId): Promise<void> {
    await this.getOwned(userId, id);
    await this.portfolios.delete({ id, userId });
  }

  async listPositions(userId: UserId, id: PortfolioId): Promise<PositionEntity[]> {
    await this.getOwned(userId, id);
    return this.positions.find({ where: { portfolioId: id }, order: { symbol: 'ASC', createdAt: 'ASC' } });
  }

  async addPosition(userId: UserId, id: PortfolioId, dto: CreatePositionDto): Promise<PositionEntity> {
    await this.getOwned(userId, id);
    const valid = this.validOrThrow(dto);
    return this.positions.save(this.positions.create({ ...valid, portfolioId: id }));
  }

  async updatePosition(userId: UserId, id: PortfolioId, positionId: string, dto: UpdatePositionDto): Promise<PositionEntity> {
    const existing = await this.getOwnedPosition(userId, id, positionId);
    // The DTO instance has every declared field as an own property (ES2022 class
    // fields), undefined when not sent; only the sent ones may override.
    const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as UpdatePositionDto;
    const merged: PositionDraft = {
      symbol: existing.symbol,
      quantity: existing.quantity,
      entry_price: existing.entryPrice,
      entry_date: existing.entryDate,
      position_type: existing.positionType,
      underlying_symbol: existing.underlyingSymbol,
      strike_price: existing.strikePrice,
      expiration_date: existing.expirationDate,
      implied_volatility: existing.impliedVolatility,
      ...changes,
    };
    Object.assign(existing, this.validOrThrow(merged));
    return this.positions.save(existing);
  }

  async removePosition(userId: UserId, id: PortfolioId, positionId: string): Promise<void> {
    await this.getOwnedPosition(userId, id, positionId);
    await this.positions.delete({ id: positionId, portfolioId: id });
  }

  /** All-or-nothing insert of validated positions; `replace` first removes the current set. */
  async storePositions(id: PortfolioId, rows: ValidPosition[], mode: 'append' | 'replace'): Promise<PositionEntity[]> {
    return this.dataSource.transaction(async (em) => {
      if (mode === 'replace') await em.delete(PositionEntity, { portfolioId: id });
      const saved: PositionEntity[] = [];
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000).map((r) => em.create(PositionEntity, { ...r, portfolioId: id }));
        // insert() merges the generated id and timestamps back into the entities
        await em.insert(PositionEntity, chunk);
        saved.push(...chunk);
      }
      return saved;
    });
  }

  private async getOwnedPosition(userId: UserId, id: PortfolioId, positionId: string): Promise<PositionEntity> {
    await this.getOwned(userId, id);
    const pos = await this.positions.findOne({ where: { id: positionId, portfolioId: id } });
    if (!pos) throw notFound('Position');
    return pos;
  }

  private validOrThrow(draft: PositionDraft): ValidPosition {
    const { value, errors } = validatePosition(draft, todayUtc());
    if (!value) throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
    return value;
  }
}

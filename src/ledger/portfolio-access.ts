import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PortfolioId, UserId } from '../common/branded';
import { notFound } from '../common/errors';
import { sqlRows } from '../database/sql';

/**
 * Ownership of a portfolio for the ledger routes: 404 when it is missing or
 * not the caller's (never revealing another user's ids). `lock` takes the
 * portfolio's row lock inside a write, so two writes to one ledger are
 * validated one after the other.
 */
@Injectable()
export class PortfolioAccess {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `userId` null: any owner (internal paths such as the demo seed). */
  async assertOwned(userId: UserId | null, id: PortfolioId, em: EntityManager = this.db.manager, lock = false): Promise<void> {
    const rows = await sqlRows(em, `SELECT id FROM portfolios WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2)${lock ? ' FOR UPDATE' : ''}`, [id, userId]);
    if (!rows.length) throw notFound('Portfolio');
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { PortfolioId, PositionId } from '../common/branded';
import { sqlRows } from '../database/sql';

/** User tags per holding (its deterministic position id); a holding's lots inherit its tags. */
@Injectable()
export class PositionTagStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Tags of every tagged holding of the portfolios, sorted; untagged holdings are absent. */
  async tagsOf(portfolioIds: PortfolioId[]): Promise<Map<PositionId, string[]>> {
    const out = new Map<PositionId, string[]>();
    if (!portfolioIds.length) return out;
    const rows: Array<{ position_id: string; tags: string[] }> = await sqlRows(
      this.db,
      `SELECT position_id, array_agg(tag ORDER BY tag) AS tags FROM position_tags WHERE portfolio_id = ANY($1::uuid[]) GROUP BY position_id`,
      [portfolioIds],
    );
    for (const r of rows) out.set(r.position_id as PositionId, r.tags);
    return out;
  }

  /** Replaces one holding's tags (validated at the edge). */
  async replace(portfolioId: PortfolioId, positionId: PositionId, tags: string[], em: DataSource | EntityManager = this.db): Promise<string[]> {
    const unique = [...new Set(tags)].sort();
    await sqlRows(em, `DELETE FROM position_tags WHERE portfolio_id = $1 AND position_id = $2`, [portfolioId, positionId]);
    if (unique.length) {
      await sqlRows(em, `INSERT INTO position_tags (portfolio_id, position_id, tag) SELECT $1, $2, unnest($3::text[])`, [portfolioId, positionId, unique]);
    }
    return unique;
  }
}

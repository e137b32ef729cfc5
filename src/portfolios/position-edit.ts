import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CalendarDate, PortfolioId } from '../common/branded';
import { badRequest, conflict } from '../common/errors';
import { sqlRows } from '../database/sql';
import { earliest, ledgerRefusal } from '../ledger/ledger-entry.service';
import { LedgerReplayService, todayUtc } from '../ledger/ledger-replay.service';
import type { HoldingPosition, PortfolioLedger } from '../ledger/ledger.types';
import { LedgerWriter } from '../ledger/ledger.writer';
import { PositionEntity } from './position.entity';
import type { UpdatePositionDto } from './position.dto';
import { PositionDraft, ValidPosition } from './position-rules';
import { validPositionOrThrow } from './position-input';

const differs = (a: number, b: number) => Math.abs(a - b) > 1e-9;

/** The position as a draft: its holding's terms and its summed open lots. */
function draftOf(row: PositionEntity, open: HoldingPosition | undefined): PositionDraft {
  const short = row.positionType === 'SHORT' || row.positionType === 'SC' || row.positionType === 'SP';
  return {
    symbol: row.symbol,
    // a closed holding keeps a placeholder quantity so its terms can still be checked
    quantity: open?.quantity ?? (short ? -1 : 1),
    entry_price: open?.costPerUnit ?? 1,
    entry_date: open?.openedAt ?? todayUtc(),
    position_type: row.positionType,
    underlying_symbol: row.underlyingSymbol,
    strike_price: row.strikePrice,
    expiration_date: row.expirationDate,
    implied_volatility: row.impliedVolatility,
  };
}

/**
 * PATCH of a position on the ledger: holding terms (implied volatility, option
 * terms) apply to the holding; quantity, entry price and date, symbol and type
 * only when the holding has a single user transaction and it is a
 * TRANSFER_IN (which is then edited), else 409 pointing to the transactions.
 */
@Injectable()
export class PositionEdit {
  constructor(
    private readonly replay: LedgerReplayService,
    private readonly writer: LedgerWriter,
  ) {}

  async apply(em: EntityManager, ledger: PortfolioLedger, row: PositionEntity, dto: UpdatePositionDto): Promise<void> {
    const portfolioId = ledger.portfolioId;
    const open = (await this.replay.replayOne(portfolioId, todayUtc(), em)).state.positions().find((p) => p.holding.id === row.id);
    const before = draftOf(row, open);
    const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as UpdatePositionDto;
    const v = validPositionOrThrow({ ...before, ...changes });
    const identity = v.symbol !== row.symbol || v.positionType !== row.positionType;
    const lot = differs(v.quantity, before.quantity!) || differs(v.entryPrice, before.entry_price!) || v.entryDate !== before.entry_date;
    const own = ledger.transactions.filter((t) => t.positionId === row.id && t.source === 'user');
    if ((identity || lot) && !(own.length === 1 && own[0].type === 'TRANSFER_IN')) {
      throw conflict(`Position ${row.symbol} has ${own.length} transaction(s): change its quantity, price or date by recording transactions at ` +
        `/api/v1/portfolio/${portfolioId}/transactions`);
    }
    if (identity && [...ledger.holdings.values()].some((h) => h.id !== row.id && h.symbol === v.symbol && h.positionType === v.positionType))
      throw conflict(`The portfolio already holds ${v.symbol} ${v.positionType}: record transactions on that position instead`);
    await this.store(em, row.id, v, identity || lot ? own[0].id : null);
    await this.check(em, portfolioId);
    const dates = [...ledger.transactions.filter((t) => t.positionId === row.id).map((t) => t.date), ...(lot ? [v.entryDate as CalendarDate] : [])];
    if (dates.length) await this.writer.markStale(em, [portfolioId], earliest(dates));
  }

  private async store(em: EntityManager, id: string, v: ValidPosition, transferId: string | null): Promise<void> {
    await sqlRows(em,
      `UPDATE positions SET symbol = $2, position_type = $3, underlying_symbol = $4, strike_price = $5, expiration_date = $6, implied_volatility = $7,
         updated_at = now() WHERE id = $1`,
      [id, v.symbol, v.positionType, v.underlyingSymbol, v.strikePrice, v.expirationDate, v.impliedVolatility]);
    if (transferId) {
      await sqlRows(em, `UPDATE transactions SET quantity = $2, price = $3, trade_date = $4, updated_at = now() WHERE id = $1`,
        [transferId, Math.abs(v.quantity), v.entryPrice, v.entryDate]);
    }
  }

  /** The edited ledger must still replay up to today. */
  private async check(em: EntityManager, portfolioId: PortfolioId): Promise<void> {
    const err = await this.replay.refusal(portfolioId, todayUtc(), em);
    if (err) {
      const r = ledgerRefusal(err);
      throw badRequest(`The edit would break the ledger: ${r.message}`, r.extra);
    }
  }
}

import { ApiProperty } from '@nestjs/swagger';
import { TRANSACTION_TYPES } from './ledger.types';

const POSITION_TYPES = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'];
const nullableNumber = { type: Number, nullable: true } as const;
const nullableDate = { type: String, format: 'date', nullable: true } as const;

/** A transaction as the API shows it; the option fields are its holding's terms. */
export class TransactionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) portfolio_id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The holding; null for cash' }) position_id: string | null;
  @ApiProperty({ enum: TRANSACTION_TYPES }) type: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ type: String, nullable: true }) symbol: string | null;
  @ApiProperty(nullableNumber) quantity: number | null;
  @ApiProperty(nullableNumber) price: number | null;
  @ApiProperty() fees: number;
  @ApiProperty(nullableNumber) amount: number | null;
  @ApiProperty({ ...nullableNumber, description: 'SPLIT: new shares per old share' }) ratio: number | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ enum: ['user', 'system'] }) source: string;
  @ApiProperty({ type: String, enum: POSITION_TYPES, nullable: true }) position_type: string | null;
  @ApiProperty({ type: String, enum: ['CALL', 'PUT'], nullable: true }) option_type: string | null;
  @ApiProperty({ type: String, nullable: true }) underlying_symbol: string | null;
  @ApiProperty(nullableNumber) strike_price: number | null;
  @ApiProperty(nullableDate) expiration_date: string | null;
  @ApiProperty(nullableNumber) implied_volatility: number | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class TransactionListView {
  @ApiProperty({ description: 'Matching transactions before limit/offset' }) total: number;
  @ApiProperty({ type: [TransactionView] }) transactions: TransactionView[];
}

export class TransactionImportView {
  @ApiProperty() imported: number;
  @ApiProperty({ type: [TransactionView] }) transactions: TransactionView[];
}

export class LotView {
  @ApiProperty({ format: 'uuid' }) position_id: string;
  @ApiProperty() symbol: string;
  @ApiProperty({ enum: POSITION_TYPES }) position_type: string;
  @ApiProperty({ description: 'Signed: negative for short lots' }) quantity: number;
  @ApiProperty({ description: 'quantity × cost_per_unit × multiplier, signed like the quantity' }) cost_basis: number;
  @ApiProperty({ description: 'Including buy fees' }) cost_per_unit: number;
  @ApiProperty({ format: 'date' }) opened_at: string;
  @ApiProperty({ type: 'array', items: { type: 'string' }, description: "The holding's tags (a lot inherits them)" }) tags: string[];
}

export class RealizedMatchView {
  @ApiProperty({ format: 'uuid' }) position_id: string;
  @ApiProperty() symbol: string;
  @ApiProperty({ description: 'Signed like the lot that was closed' }) quantity: number;
  @ApiProperty({ format: 'date' }) opened_at: string;
  @ApiProperty({ format: 'date' }) closed_at: string;
  @ApiProperty() cost: number;
  @ApiProperty() proceeds: number;
  @ApiProperty() realized_pnl: number;
}

export class RealizedView {
  @ApiProperty() total_realized_pnl: number;
  @ApiProperty({ type: [RealizedMatchView] }) matches: RealizedMatchView[];
}

import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import type { CalendarDate } from '../common/branded';
import { FitsNumericColumn, NUMERIC_10_6, QueryInt } from '../common/numeric-input';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsCalendarDate } from '../common/branded-input';
import { TRANSACTION_TYPES } from './ledger.types';

const NUM = { allowNaN: false, allowInfinity: false };
const POSITION_TYPES = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'];

/** Shapes only; the per-type rules live in transaction-rules.ts (shared with the CSV import). */
export class CreateTransactionDto {
  @ApiProperty({ enum: TRANSACTION_TYPES, example: 'BUY' }) @IsString() type: string;
  @ApiProperty({ format: 'date', example: '2025-03-03' }) @IsString() date: string;
  @ApiPropertyOptional({ example: 'AAPL', description: 'Trades, transfers, EXERCISE/ASSIGN' }) @IsOptional() @IsString() @MaxLength(21) symbol?: string;
  @ApiPropertyOptional({ example: 10, description: '> 0 (shares, or contracts for options)' }) @IsOptional() @IsNumber(NUM) @FitsNumericColumn() quantity?: number;
  @ApiPropertyOptional({ example: 187.5, description: 'Per share (premium per share for options); transfers: cost basis per unit' })
  @IsOptional() @IsNumber(NUM) @FitsNumericColumn() price?: number;
  @ApiPropertyOptional({ example: 1, default: 0, description: '>= 0; buy fees go into cost, sell fees reduce proceeds' }) @IsOptional() @IsNumber(NUM) @FitsNumericColumn() fees?: number;
  @ApiPropertyOptional({ example: 10000, description: 'Cash transactions: > 0' }) @IsOptional() @IsNumber(NUM) @FitsNumericColumn() amount?: number;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) note?: string;
  @ApiPropertyOptional({ enum: POSITION_TYPES, description: 'Transfers: the holding\'s direction (default long); trades: must match the type' })
  @IsOptional() @IsIn(POSITION_TYPES) position_type?: string;
  @ApiPropertyOptional({ enum: ['CALL', 'PUT'], description: 'Options' }) @IsOptional() @IsIn(['CALL', 'PUT', 'call', 'put']) option_type?: string;
  @ApiPropertyOptional({ example: 'AAPL', description: 'Options' }) @IsOptional() @IsString() underlying_symbol?: string;
  @ApiPropertyOptional({ example: 200, description: 'Options' }) @IsOptional() @IsNumber(NUM) @FitsNumericColumn() strike_price?: number;
  @ApiPropertyOptional({ format: 'date', example: '2027-06-17', description: 'Options' }) @IsOptional() @IsString() expiration_date?: string;
  @ApiPropertyOptional({ example: 0.28, description: 'Options: used when the holding is created' }) @IsOptional() @IsNumber(NUM) @FitsNumericColumn(NUMERIC_10_6) implied_volatility?: number;
}

/** Any field of a transaction; the merged result is checked again. */
export class UpdateTransactionDto extends PartialType(CreateTransactionDto) {}

export class TransactionQueryDto {
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() from?: CalendarDate;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() to?: CalendarDate;
  @ApiPropertyOptional({ example: 'AAPL' }) @IsOptional() @IsString() @MaxLength(21) symbol?: string;
  @ApiPropertyOptional({ enum: TRANSACTION_TYPES }) @IsOptional() @IsIn([...TRANSACTION_TYPES, ...TRANSACTION_TYPES.map((t) => t.toLowerCase())]) type?: string;
  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 1_000_000_000 }) @IsOptional() @QueryInt() @IsInt() @Min(0) @Max(1_000_000_000) offset?: number;
}

export class RealizedQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Closed on or after' }) @IsOptional() @IsCalendarDate() from?: CalendarDate;
  @ApiPropertyOptional({ format: 'date', description: 'Closed on or before' }) @IsOptional() @IsCalendarDate() to?: CalendarDate;
}

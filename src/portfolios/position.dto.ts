import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, MaxLength } from 'class-validator';
import { FitsNumericColumn, NUMERIC_10_6 } from '../common/numeric-input';
import { POSITION_TYPES } from './position.entity';

const NUM = { allowNaN: false, allowInfinity: false };

/** Shapes only; the cross-field rules live in position-rules.ts (shared with CSV import). */
export class CreatePositionDto {
  @ApiProperty({ maxLength: 21, example: 'AAPL', description: '1-12 of A-Z 0-9 . - (options: up to 21, the OCC symbol); upper-cased' })
  @IsString()
  @MaxLength(21)
  symbol: string;

  @ApiProperty({ description: 'Signed: negative = short', example: 100 })
  @IsNumber(NUM)
  @FitsNumericColumn()
  quantity: number;

  @ApiProperty({ example: 187.5 })
  @IsNumber(NUM)
  @FitsNumericColumn()
  entry_price: number;

  @ApiProperty({ format: 'date', example: '2025-01-15' })
  @IsString()
  entry_date: string;

  @ApiPropertyOptional({ enum: POSITION_TYPES, description: 'Default: LONG or SHORT from the sign of quantity' })
  @IsOptional()
  @IsIn(POSITION_TYPES)
  position_type?: string;

  @ApiPropertyOptional({ example: 'AAPL', description: 'Options only' })
  @IsOptional()
  @IsString()
  underlying_symbol?: string;

  @ApiPropertyOptional({ example: 200, description: 'Options only' })
  @IsOptional()
  @IsNumber(NUM)
  @FitsNumericColumn()
  strike_price?: number;

  @ApiPropertyOptional({ format: 'date', example: '2026-06-19', description: 'Options only' })
  @IsOptional()
  @IsString()
  expiration_date?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 5, example: 0.25, description: 'Annualised, as a fraction in (0, 5]; default from DEFAULT_IMPLIED_VOLATILITY' })
  @IsOptional()
  @IsNumber(NUM)
  @FitsNumericColumn(NUMERIC_10_6)
  implied_volatility?: number;

  @ApiPropertyOptional({ enum: ['CALL', 'PUT'], description: 'Options only: with the sign of quantity, stands for position_type' })
  @IsOptional()
  @IsIn(['CALL', 'PUT', 'call', 'put'])
  option_type?: string;
}

export class UpdatePositionDto {
  @ApiPropertyOptional({ maxLength: 21 }) @IsOptional() @IsString() @MaxLength(21) symbol?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber(NUM) @FitsNumericColumn() quantity?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber(NUM) @FitsNumericColumn() entry_price?: number;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsString() entry_date?: string;
  @ApiPropertyOptional({ enum: POSITION_TYPES }) @IsOptional() @IsIn(POSITION_TYPES) position_type?: string;
  @ApiPropertyOptional({ type: 'string', nullable: true }) @IsOptional() @IsString() underlying_symbol?: string | null;
  @ApiPropertyOptional({ type: 'number', nullable: true }) @IsOptional() @IsNumber(NUM) @FitsNumericColumn() strike_price?: number | null;
  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true }) @IsOptional() @IsString() expiration_date?: string | null;
  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 5, nullable: true }) @IsOptional() @IsNumber(NUM) @FitsNumericColumn(NUMERIC_10_6) implied_volatility?: number | null;
}

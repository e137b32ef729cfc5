import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { POSITION_TYPES } from './position.entity';

/** Bounds of a numeric(20,6) column. */
const NUMERIC_20_6 = { type: 'number', minimum: -1e14, maximum: 1e14 } as const;

export class PortfolioResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'string', minLength: 1, maxLength: 200 })
  name: string;

  @ApiProperty({ type: 'string', pattern: '^[A-Z]{3}$', example: 'USD' })
  currency: string;

  @ApiProperty({ ...NUMERIC_20_6 })
  cash_balance: number;

  @ApiProperty({ enum: ['FIFO', 'AVERAGE'], description: 'How sells are matched against lots' })
  cost_basis_method: 'FIFO' | 'AVERAGE';

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Absent in the answer of a PATCH' })
  position_count?: number;

  @ApiProperty({ type: 'string', format: 'date-time' })
  created_at: string;

  @ApiProperty({ type: 'string', format: 'date-time' })
  updated_at: string;
}

export class PositionResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'string', format: 'uuid' })
  portfolio_id: string;

  @ApiProperty({ type: 'string', minLength: 1, maxLength: 21, example: 'AAPL' })
  symbol: string;

  @ApiProperty({ ...NUMERIC_20_6, description: 'Signed: negative = short' })
  quantity: number;

  @ApiProperty({ ...NUMERIC_20_6 })
  entry_price: number;

  @ApiProperty({ type: 'string', format: 'date' })
  entry_date: string;

  @ApiProperty({ enum: POSITION_TYPES })
  position_type: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'Options only' })
  underlying_symbol: string | null;

  @ApiProperty({ ...NUMERIC_20_6, nullable: true, description: 'Options only' })
  strike_price: number | null;

  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'Options only' })
  expiration_date: string | null;

  @ApiProperty({ type: 'number', minimum: 0, nullable: true, description: 'Annualised fraction; null = the default setting' })
  implied_volatility: number | null;

  @ApiProperty({ type: 'number', description: 'Σ open lots (× multiplier), signed like the quantity' })
  cost_basis: number;

  @ApiProperty({ enum: [1, 100], description: '100 for options' })
  multiplier: number;

  @ApiProperty({ type: 'array', items: { type: 'string' }, description: "The holding's tags, sorted (PUT .../positions/{position_id}/tags)" })
  tags: string[];

  @ApiProperty({ type: 'string', format: 'date-time' })
  created_at: string;

  @ApiProperty({ type: 'string', format: 'date-time' })
  updated_at: string;
}

export class ImportResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  imported: number;

  @ApiProperty({ enum: ['append', 'replace'] })
  mode: 'append' | 'replace';

  @ApiProperty({ type: [PositionResponse], description: 'The positions stored by this import' })
  positions: PositionResponse[];
}

import { ApiProperty } from '@nestjs/swagger';

export class PricesUploadResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Daily bars stored (inserted or replaced)' })
  stored: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, description: 'Bars stored per symbol', example: { AAPL: 21 } })
  symbols: Record<string, number>;
}

import { ApiProperty } from '@nestjs/swagger';

export class SymbolsUploadResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows stored (inserted or replaced)' })
  stored: number;

  @ApiProperty({ type: 'array', items: { type: 'string' }, description: 'The symbols stored, in upload order' })
  symbols: string[];
}

const CLASS_FIELD = { type: 'string', description: '`Unclassified` when unknown' } as const;

export class SymbolClassificationResponse {
  @ApiProperty({ type: 'string', example: 'AAPL' }) symbol: string;
  @ApiProperty({ type: 'string', nullable: true }) name: string | null;
  @ApiProperty(CLASS_FIELD) sector: string;
  @ApiProperty(CLASS_FIELD) industry: string;
  @ApiProperty({ ...CLASS_FIELD, description: 'ISO 3166 alpha-2, or `Unclassified`' }) country: string;
  @ApiProperty(CLASS_FIELD) asset_class: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Where the row came from (polygon, csv, synthetic, admin); null when the security master has no row' })
  source: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) updated_at: string | null;
}

export class SymbolListResponse {
  @ApiProperty({ type: [SymbolClassificationResponse] })
  symbols: SymbolClassificationResponse[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { StoredCorporateAction } from './corporate-action.store';

export class ListActionsQuery {
  @ApiPropertyOptional({ example: 'AAPL', description: 'One symbol (case-insensitive); all symbols when absent' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9.-]{1,12}$/, { message: 'symbol must be 1-12 characters of A-Z 0-9 . -' })
  symbol?: string;

  @ApiPropertyOptional({ default: 1000, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}

export class ActionsImportResultDto {
  @ApiProperty({ example: 3, description: 'Actions stored (inserted or replaced)' })
  imported!: number;

  @ApiProperty({ example: { AAPL: 2, MSFT: 1 }, type: 'object', additionalProperties: { type: 'integer' }, description: 'Actions stored per symbol' })
  symbols!: Record<string, number>;
}

export class CorporateActionDto {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ enum: ['SPLIT', 'CASH_DIVIDEND'] })
  type!: 'SPLIT' | 'CASH_DIVIDEND';

  @ApiProperty({ example: '2020-08-31', format: 'date' })
  ex_date!: string;

  @ApiProperty({ nullable: true, type: String, format: 'date', description: 'CASH_DIVIDEND: pay date; null = paid on the ex-date' })
  pay_date!: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 4, description: 'SPLIT: new shares per old share' })
  ratio!: number | null;

  @ApiProperty({ nullable: true, type: Number, example: null, description: 'CASH_DIVIDEND: cash per share' })
  amount!: number | null;

  @ApiProperty({ example: 'manual', description: 'Who stored it: manual (the admin upload) or the provider name' })
  source!: string;

  static from(a: StoredCorporateAction): CorporateActionDto {
    return { symbol: a.symbol, type: a.type, ex_date: a.exDate, pay_date: a.payDate, ratio: a.ratio, amount: a.amount, source: a.source };
  }
}

export class CorporateActionListDto {
  @ApiProperty({ type: [CorporateActionDto] })
  actions!: CorporateActionDto[];
}

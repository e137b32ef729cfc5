import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';

export const MAX_SYMBOLS_PER_READ = 500;

export class SymbolsQuery {
  @ApiProperty({ type: 'string', example: 'AAPL,MSFT,XYZ', description: `Comma-separated, 1-${MAX_SYMBOLS_PER_READ} symbols` })
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean) : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SYMBOLS_PER_READ)
  @Matches(/^[A-Z0-9][A-Z0-9.^=_-]{0,31}$/, { each: true, message: 'each symbol must be 1-32 characters of A-Z 0-9 . ^ = _ -' })
  symbols: string[];
}

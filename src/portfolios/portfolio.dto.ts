import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FitsNumericColumn } from '../common/numeric-input';
import { IsIn, IsNumber, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreatePortfolioDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Core equity' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ default: 'USD', pattern: '^[A-Z]{3}$', example: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO code (e.g. USD)' })
  currency?: string;

  @ApiPropertyOptional({ type: 'number', default: 0, description: 'Opening cash: a DEPOSIT (or WITHDRAWAL when negative) dated today' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @FitsNumericColumn()
  cash_balance?: number;

  @ApiPropertyOptional({ enum: ['FIFO', 'AVERAGE'], default: 'FIFO', description: 'How sells are matched against lots' })
  @IsOptional()
  @IsIn(['FIFO', 'AVERAGE'])
  cost_basis_method?: 'FIFO' | 'AVERAGE';
}

export class UpdatePortfolioDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ pattern: '^[A-Z]{3}$' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO code (e.g. USD)' })
  currency?: string;

  @ApiPropertyOptional({ type: 'number', description: 'Target cash: a DEPOSIT or WITHDRAWAL dated today of the difference to the derived cash' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @FitsNumericColumn()
  cash_balance?: number;

  @ApiPropertyOptional({ enum: ['FIFO', 'AVERAGE'], default: 'FIFO', description: 'How sells are matched against lots' })
  @IsOptional()
  @IsIn(['FIFO', 'AVERAGE'])
  cost_basis_method?: 'FIFO' | 'AVERAGE';
}

export class ImportQueryDto {
  @ApiPropertyOptional({ enum: ['append', 'replace'], default: 'append' })
  @IsOptional()
  @IsIn(['append', 'replace'])
  mode?: 'append' | 'replace';
}

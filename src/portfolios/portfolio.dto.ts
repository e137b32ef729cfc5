import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreatePortfolioDto {
  @ApiProperty({ example: 'Core equity' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ default: 'USD', example: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO code (e.g. USD)' })
  currency?: string;

  @ApiPropertyOptional({ default: 0, description: 'Opening cash: a DEPOSIT (or WITHDRAWAL when negative) dated today' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  cash_balance?: number;

  @ApiPropertyOptional({ enum: ['FIFO', 'AVERAGE'], default: 'FIFO', description: 'How sells are matched against lots' })
  @IsOptional()
  @IsIn(['FIFO', 'AVERAGE'])
  cost_basis_method?: 'FIFO' | 'AVERAGE';
}

export class UpdatePortfolioDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO code (e.g. USD)' })
  currency?: string;

  @ApiPropertyOptional({ description: 'Target cash: a DEPOSIT or WITHDRAWAL dated today of the difference to the derived cash' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
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

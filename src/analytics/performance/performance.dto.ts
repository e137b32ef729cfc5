import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { CalendarDate } from '../../common/branded';
import { IsCalendarDate } from '../../common/branded-input';
import { PERIOD_SHORTCUTS, type PeriodShortcut } from '../math/periods';

/** A listed symbol as stored in daily_prices (as the price upload accepts it). */
export const BENCHMARK_SYMBOL_RE = /^[A-Z0-9.-]{1,12}$/;
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

export class PerformanceQuery {
  @ApiPropertyOptional({ example: '2025-01-01', description: 'First day of the range (default: inception, the first snapshot). Measured from the last close before it.' })
  @IsOptional()
  @IsCalendarDate()
  from?: CalendarDate;

  @ApiPropertyOptional({ example: '2025-06-30', description: 'Last day of the range (default: the latest snapshot)' })
  @IsOptional()
  @IsCalendarDate()
  to?: CalendarDate;

  @ApiPropertyOptional({ example: 'SPY', default: 'SPY', description: 'Benchmark symbol (1-12 of A-Z 0-9 . -, case-insensitive); total return from stored closes, splits and dividends' })
  @IsOptional()
  @Transform(upper)
  @Matches(BENCHMARK_SYMBOL_RE, { message: 'benchmark must be a symbol of 1-12 characters A-Z 0-9 . -' })
  benchmark?: string;

  @ApiPropertyOptional({ enum: PERIOD_SHORTCUTS, description: 'Shortcut ending at the latest snapshot; not combinable with from/to' })
  @IsOptional()
  @Transform(upper)
  @IsIn(PERIOD_SHORTCUTS as unknown as string[], { message: `period must be one of ${PERIOD_SHORTCUTS.join(', ')}` })
  period?: PeriodShortcut;
}

const num = (description: string) => ({ type: Number, format: 'double', nullable: true, description });
const date = (description: string) => ({ type: String, format: 'date', nullable: true, description });

export class DrawdownEpisodeDto {
  @ApiProperty(date('Last high of the index before the worst trough (the range base date when the range opened at the high)'))
  peak_date!: string | null;
  @ApiProperty(date('Day of the worst trough'))
  trough_date!: string | null;
  @ApiProperty(date('First day back at the peak level; null if not recovered'))
  recovery_date!: string | null;
}

export class MonthlyReturnDto {
  @ApiProperty({ type: String, example: '2025-01', description: 'Calendar month YYYY-MM (the first and last may be partial, clipped to the range)' })
  month!: string;
  @ApiProperty(num('Compounded flow-neutral daily returns of the month (fraction)'))
  return!: number | null;
  @ApiProperty(num('Compounded benchmark total returns of the month; null when a close is missing'))
  benchmark_return!: number | null;
}

export class PerformancePointDto {
  @ApiProperty({ type: String, format: 'date' })
  date!: string;
  @ApiProperty({ type: Number, format: 'double', description: 'Total value at the close' })
  value!: number;
  @ApiProperty(num('Growth of 1 at the range base: Π(1 + r)'))
  twr_index!: number | null;
  @ApiProperty(num('Growth of 1 of the benchmark (total return); null from a missing close on'))
  benchmark_index!: number | null;
  @ApiProperty(num('twr_index / running peak − 1 (≤ 0)'))
  drawdown!: number | null;
}

/** GET /portfolio/{id}/performance (DESIGN §8). Fractions, not percent; every null figure has a reason under its name in `reasons`. */
export class PerformanceView {
  @ApiProperty(date('First day of the range (inception when the request starts earlier)'))
  from!: string | null;
  @ApiProperty(date('Last snapshot of the range'))
  to!: string | null;
  @ApiProperty({ type: String, example: 'SPY' })
  benchmark!: string;
  @ApiProperty(num('Time-weighted return Π(1 + r_d) − 1 of flow-neutral daily returns'))
  twr!: number | null;
  @ApiProperty(num('(1 + twr)^(365/days) − 1, only for ranges of 365 calendar days or more from the base'))
  twr_annualized!: number | null;
  @ApiProperty(num('Money-weighted return: XIRR (actual/365), annualised'))
  mwr!: number | null;
  @ApiProperty(num('Benchmark total return over the range'))
  benchmark_return!: number | null;
  @ApiProperty(num('twr − benchmark_return'))
  excess_return!: number | null;
  @ApiProperty(num('Sample std (n−1) of daily active returns × √252'))
  tracking_error!: number | null;
  @ApiProperty(num('252 × mean daily active return / tracking error'))
  information_ratio!: number | null;
  @ApiProperty(num('Daily OLS slope on the benchmark (at least 30 days)'))
  beta!: number | null;
  @ApiProperty(num('Daily OLS intercept × 252'))
  alpha_annualized!: number | null;
  @ApiProperty(num('(Π(1+r_p) − 1) / (Π(1+r_b) − 1) over days the benchmark rose'))
  up_capture!: number | null;
  @ApiProperty(num('Same over days the benchmark fell'))
  down_capture!: number | null;
  @ApiProperty(num('Annualised Sharpe ratio of the daily returns (risk-free from RISK_FREE_RATE)'))
  sharpe!: number | null;
  @ApiProperty(num('Annualised Sortino ratio of the daily returns'))
  sortino!: number | null;
  @ApiProperty(num('Worst fall of twr_index from a running peak (≤ 0)'))
  max_drawdown!: number | null;
  @ApiProperty({ type: DrawdownEpisodeDto })
  drawdown!: DrawdownEpisodeDto;
  @ApiProperty({ type: [MonthlyReturnDto] })
  monthly_returns!: MonthlyReturnDto[];
  @ApiProperty({ type: [PerformancePointDto] })
  series!: PerformancePointDto[];
  @ApiProperty(num('Realized P&L summed over the range'))
  realized_pnl!: number | null;
  @ApiProperty(num('Unrealized P&L at the end of the range'))
  unrealized_pnl!: number | null;
  @ApiProperty(num('Dividends and interest summed over the range'))
  income!: number | null;
  @ApiProperty(num('Fees summed over the range'))
  fees!: number | null;
  @ApiProperty(num('External flows (deposits, transfers in positive) summed over the range'))
  net_flows!: number | null;
  @ApiProperty({
    type: 'object', additionalProperties: { type: 'string' },
    example: { twr_annualized: 'range of 180 calendar days is shorter than 365: not annualised' },
    description: 'Why a figure is null (keyed by field name, e.g. "beta", "drawdown.recovery_date", "monthly_returns.2025-03.benchmark_return")',
  })
  reasons!: Record<string, string>;
}

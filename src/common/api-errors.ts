import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** One field or CSV-row error inside a 400 (`errors: [...]`). */
export class FieldErrorDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'CSV data row (1 = the first row after the header)' })
  row?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Line of the CSV file (comments and the header count)' })
  line?: number;

  @ApiPropertyOptional({ type: 'string', description: 'CSV column' })
  column?: string;

  @ApiPropertyOptional({ type: 'string', description: 'Body or query field, dotted for nested fields' })
  field?: string;

  @ApiProperty({ type: 'string' })
  message: string;
}

/**
 * The one error shape (DESIGN §3), written by http-exception.filter.ts. Open:
 * a route may add fields that help the client beside the ones listed.
 */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 409 })
  status_code: number;

  @ApiProperty({ type: 'string', example: 'Conflict', description: 'The HTTP reason phrase' })
  error: string;

  @ApiProperty({ type: 'string', example: 'Batch already running' })
  detail: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Every field or row error of a 400' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ type: 'string', format: 'uuid', description: 'The active run of a 409' })
  batch_run_id?: string;

  @ApiPropertyOptional({ type: 'string', description: "The run's status when it cannot be cancelled" })
  status?: string;

  @ApiPropertyOptional({ type: 'number', minimum: 0, description: 'A ledger refusal: how much more would have to be held' })
  shortfall?: number;

  @ApiPropertyOptional({ type: 'string', description: 'A ledger refusal: the symbol concerned' })
  symbol?: string;

  @ApiPropertyOptional({ type: 'string', format: 'date', description: 'A ledger refusal: the date concerned' })
  date?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Also sent as the Retry-After header (429)' })
  retry_after_seconds?: number;
}

/** Name of the error schema in `components.schemas`. */
export const ERROR_SCHEMA = ErrorResponseDto.name;

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input (`errors` lists each field or row)',
  401: 'No, bad or expired bearer token',
  403: 'Wrong role, or the action is closed',
  404: 'Missing, or not yours',
  409: 'Conflict (e.g. a run covering it is active: `batch_run_id`)',
  413: 'Request body too large',
  429: 'Too many requests (`Retry-After`)',
  503: 'A dependency (the database) is unavailable',
};

/**
 * Declares the error statuses a route can return, each with the shared error
 * shape: `@ApiErrors(400, 404, 409)`. 401/403 of the global guard and 413 of
 * the body parsers are added to every route they apply to by
 * `completeOpenApiDocument`, so routes list only their own.
 */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto, FieldErrorDto),
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );
}

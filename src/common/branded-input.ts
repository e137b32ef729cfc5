import { Injectable, Param, PipeTransform, Type } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import {
  asBatchRunId,
  asCalendarDate,
  asPortfolioId,
  asPositionId,
  BatchRunId,
  CalendarDate,
  isCalendarDate,
  isUuid,
  PortfolioId,
  PositionId,
} from './branded';
import { badRequest } from './errors';

/**
 * The edge where raw strings become branded values: route-parameter pipes and
 * DTO decorators. A controller gets a `PortfolioId` or a `CalendarDate` from
 * here, already checked, and never holds a raw id or date string, so a
 * swapped id and date does not compile anywhere behind this file.
 */

/** A path parameter pipe: 400 unless the value is a uuid, then the branded id. */
abstract class UuidParamPipe<T extends string> implements PipeTransform<unknown, T> {
  protected abstract readonly kind: string;
  protected abstract brand(value: string): T;

  transform(value: unknown): T {
    if (!isUuid(value)) throw badRequest(`${this.kind} must be a uuid`);
    return this.brand(value);
  }
}

@Injectable()
export class PortfolioIdPipe extends UuidParamPipe<PortfolioId> {
  protected readonly kind = 'portfolio id';
  protected brand = asPortfolioId;
}

@Injectable()
export class PositionIdPipe extends UuidParamPipe<PositionId> {
  protected readonly kind = 'position id';
  protected brand = asPositionId;
}

@Injectable()
export class BatchRunIdPipe extends UuidParamPipe<BatchRunId> {
  protected readonly kind = 'batch run id';
  protected brand = asBatchRunId;
}

/**
 * A path parameter through its pipe, documented as a uuid string: the
 * parameter's declared type is a brand (an `Object` to reflection), so the
 * OpenAPI explorer cannot infer it. Use as `@PortfolioIdParam() id: PortfolioId`.
 */
function uuidParam(pipe: Type<PipeTransform>, description: string) {
  return (name = 'id'): ParameterDecorator =>
    (target, key, index) => {
      Param(name, pipe)(target, key, index);
      const method = Object.getOwnPropertyDescriptor(target, key!);
      if (method) ApiParam({ name, type: String, format: 'uuid', description })(target, key!, method);
    };
}

/** A transaction id: a uuid, lower-cased (its brand lives with the ledger's types). */
@Injectable()
export class TransactionIdPipe extends UuidParamPipe<string> {
  protected readonly kind = 'transaction id';
  protected brand = (value: string) => value.toLowerCase();
}

export const PortfolioIdParam = uuidParam(PortfolioIdPipe, 'Portfolio id');
export const TransactionIdParam = uuidParam(TransactionIdPipe, 'Transaction id');
export const PositionIdParam = uuidParam(PositionIdPipe, 'Position id');
export const BatchRunIdParam = uuidParam(BatchRunIdPipe, 'Batch run id');

/**
 * A validator and a transform for one DTO field: the transform brands a valid
 * string (runs first, in plainToInstance), the validator rejects anything else
 * with a 400 before the controller runs. Together the field's declared branded
 * type is true for every DTO a controller receives.
 */
function brandedField(name: string, isValid: (v: unknown) => v is string, brand: (v: string) => string, message: string) {
  return (options?: ValidationOptions): PropertyDecorator => {
    const transform = Transform(({ value }) => (isValid(value) ? brand(value) : value));
    const validate = ValidateBy(
      { name, validator: { validate: (value: unknown) => isValid(value), defaultMessage: (args) => `${args?.property} ${message}` } },
      options,
    );
    return (target, key) => {
      transform(target, key);
      validate(target, key);
    };
  };
}

/** A `PortfolioId` field: a uuid, lower-cased. */
export const IsPortfolioId = brandedField('isPortfolioId', isUuid, asPortfolioId, 'must be a portfolio id (uuid)');
/** A `CalendarDate` field: an ISO `YYYY-MM-DD` string naming a real day. */
export const IsCalendarDate = brandedField('isCalendarDate', isCalendarDate, asCalendarDate, 'must be a date YYYY-MM-DD');

export type { BatchRunId, CalendarDate, PortfolioId, PositionId };

import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { batchTriggerRequest } from '../batch/batch-trigger-request';
import { asBatchRunId, asCalendarDate, asPortfolioId, type CalendarDate, type PortfolioId } from './branded';
import { BatchRunIdPipe, IsCalendarDate, IsPortfolioId, PortfolioIdPipe } from './branded-input';
import { DomainError } from './errors';

const ID = '6F1C1B1E-0000-4000-8000-00000000000A';

class Body {
  @IsOptional() @IsPortfolioId() portfolio_id?: PortfolioId;
  @IsOptional() @IsCalendarDate() calculation_date?: CalendarDate;
}

const check = (plain: object) => {
  const dto = plainToInstance(Body, plain);
  return { dto, errors: validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {})) };
};

describe('as* constructors check at run time', () => {
  it('accept a uuid (lower-cased) and a real ISO day', () => {
    expect(asPortfolioId(ID)).toBe(ID.toLowerCase());
    expect(asBatchRunId(ID.toLowerCase())).toBe(ID.toLowerCase());
    expect(asCalendarDate('2024-02-29')).toBe('2024-02-29');
  });

  it('throw on a non-uuid id or a date where an id belongs, and the reverse', () => {
    expect(() => asPortfolioId('2025-06-02')).toThrow(TypeError);
    expect(() => asBatchRunId('not-a-uuid')).toThrow(TypeError);
    expect(() => asCalendarDate(ID)).toThrow(TypeError);
    expect(() => asCalendarDate('2025-02-30')).toThrow(TypeError);
  });
});

describe('route pipes give branded values or a 400', () => {
  it('PortfolioIdPipe brands a uuid', () => {
    expect(new PortfolioIdPipe().transform(ID)).toBe(ID.toLowerCase());
  });

  it.each(['2025-06-02', 'abc', '', '6f1c1b1e00004000800000000000000a'])('rejects %p as a bad request', (raw) => {
    const call = () => new BatchRunIdPipe().transform(raw);
    expect(call).toThrow(DomainError);
    expect(call).toThrow('batch run id must be a uuid');
  });
});

describe('DTO decorators validate and brand', () => {
  it('a valid body arrives branded and normalised', () => {
    const { dto, errors } = check({ portfolio_id: ID, calculation_date: '2025-06-02' });
    expect(errors).toEqual([]);
    expect(dto.portfolio_id).toBe(ID.toLowerCase());
    expect(dto.calculation_date).toBe('2025-06-02');
  });

  it('swapped id and date are rejected field by field', () => {
    const { errors } = check({ portfolio_id: '2025-06-02', calculation_date: ID });
    expect(errors).toEqual(expect.arrayContaining(['portfolio_id must be a portfolio id (uuid)', 'calculation_date must be a date YYYY-MM-DD']));
  });

  it('non-strings are rejected, not coerced', () => {
    expect(check({ portfolio_id: 12, calculation_date: ['2025-06-02'] }).errors).toHaveLength(2);
  });
});

describe('batchTriggerRequest', () => {
  const date = asCalendarDate('2025-06-02');

  it('leaves absent fields out and freezes the request', () => {
    const r = batchTriggerRequest({ trigger: 'admin', triggeredBy: 'a@x.io', portfolioId: undefined, calculationDate: date });
    expect(r).toEqual({ trigger: 'admin', triggeredBy: 'a@x.io', calculationDate: date });
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('keeps the scheduled date to the cron and one date form per request', () => {
    expect(() => batchTriggerRequest({ trigger: 'user', triggeredBy: 'a@x.io', scheduledDate: date })).toThrow('scheduled_date');
    expect(() => batchTriggerRequest({ trigger: 'admin', triggeredBy: 'a@x.io', calculationDate: date, startDate: date, endDate: date })).toThrow('not both');
  });
});

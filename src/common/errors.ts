/**
 * Domain errors carry a kind, not an HTTP status; the one exception filter
 * (http-exception.filter.ts) maps kinds to status codes and the error shape.
 */
export type DomainErrorKind = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'payload_too_large' | 'too_many_requests' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Extra fields for the client, snake_case (e.g. batch_run_id, errors). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export interface FieldError {
  row?: number;
  column?: string;
  field?: string;
  message: string;
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const badRequest = (message: string, extra: Record<string, unknown> = {}) => new DomainError('bad_request', message, extra);
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new DomainError('conflict', message, extra);

/**
 * A batch run that cannot start: `reason` says why ('active': a run covering
 * the same portfolios is queued or running; 'scheduled': the cron's date has a
 * run already) and `activeRunId` names that run. Callers branch on the fields,
 * never on the message text.
 */
export class RunConflictError extends DomainError {
  constructor(
    readonly reason: 'active' | 'scheduled',
    readonly activeRunId: string,
    message: string,
  ) {
    super('conflict', message, { batch_run_id: activeRunId });
    this.name = 'RunConflictError';
  }
}

import { badRequest } from '../common/errors';
import type { BatchTriggerFields, BatchTriggerRequest } from './batch.types';

/**
 * The one way to build a `BatchTriggerRequest`, used by the user route, the
 * admin route, the cron and the CLI alike. The fields arrive branded (checked
 * at the edge); here the request gets its shape: absent fields left out, the
 * scheduled date only for the cron, dates as one day or one range.
 */
export function batchTriggerRequest(fields: BatchTriggerFields): BatchTriggerRequest {
  if (fields.scheduledDate && fields.trigger !== 'schedule') throw badRequest('scheduled_date is set by the schedule only');
  if (fields.calculationDate && (fields.startDate || fields.endDate)) throw badRequest('Give either calculation_date or start_date/end_date, not both');
  const request: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) request[key] = value;
  return Object.freeze(request) as BatchTriggerRequest;
}

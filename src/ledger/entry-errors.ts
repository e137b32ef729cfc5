import { DomainError } from '../common/errors';

/** A problem with one entered transaction: `item` is its index in the batch being entered. */
export interface EntryError {
  readonly item: number;
  readonly field: string;
  readonly message: string;
}

/** Where an entered transaction came from: a CSV row (row and line numbers) or a JSON body (none). */
export interface EntrySource {
  readonly row?: number;
  readonly line?: number;
}

/**
 * One 400 for every problem of an entry: CSV rows as `{row, line, column,
 * message}` ("n row(s) have errors; nothing was imported"), a JSON body as
 * `{field, message}` with the messages joined in the detail.
 */
export function entryRejected(errors: readonly EntryError[], sources: readonly EntrySource[], extra: Record<string, unknown> = {}): DomainError {
  const csv = sources.some((s) => s.row !== undefined);
  if (!csv) {
    return new DomainError('bad_request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors: errors.map(({ field, message }) => ({ field, message })), ...extra });
  }
  const sorted = [...errors].sort((a, b) => a.item - b.item);
  const list = sorted.map((e) => ({ row: sources[e.item].row, line: sources[e.item].line, column: e.field, message: e.message }));
  const rows = new Set(sorted.map((e) => e.item)).size;
  return new DomainError('bad_request', `${rows} row(s) have errors; nothing was imported`, { errors: list, ...extra });
}

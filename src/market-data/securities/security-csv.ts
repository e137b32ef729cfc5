import { readCsvRecords } from '../../common/csv-records';
import type { FieldError } from '../../common/errors';
import { SECURITY_COLUMNS, SecurityDetails, validateSecurityRow } from './security-classes';

export const SECURITY_IMPORT_MAX_ROWS = 20_000;

export interface ParsedSecurities {
  details: SecurityDetails[];
  /** Every problem: a header problem is row 0, a data row's problems carry its number (1 = first data row). */
  errors: FieldError[];
  fatal?: string;
}

/** Checks a list of rows (CSV records or JSON objects): every row's errors, a repeated symbol included. */
export function validateSecurityRows(rows: ReadonlyArray<Partial<Record<string, unknown>>>, headerErrors: FieldError[] = []): ParsedSecurities {
  const errors: FieldError[] = [...headerErrors];
  const details: SecurityDetails[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((cells, i) => {
    const row = i + 1;
    const unknown = Object.keys(cells).filter((k) => !(SECURITY_COLUMNS as readonly string[]).includes(k));
    const own: FieldError[] = unknown.map((column) => ({ row, column, message: `unknown column; expected ${SECURITY_COLUMNS.join(', ')}` }));
    const checked = validateSecurityRow(cells, row);
    if ('errors' in checked) own.push(...checked.errors);
    else {
      const seen = firstRowOf.get(checked.details.symbol);
      if (seen !== undefined) own.push({ row, column: 'symbol', message: `duplicate of row ${seen} (${checked.details.symbol})` });
      else firstRowOf.set(checked.details.symbol, row);
      if (!own.length) details.push(checked.details);
    }
    errors.push(...own);
  });
  return { details: errors.length ? [] : details, errors };
}

/**
 * `symbol,name,sector,industry,country,asset_class` (header required, only
 * `symbol` required, column order free). An unknown column is an error of
 * the header (row 0) reported with every data row's own errors.
 */
export function parseSecuritiesCsv(text: string): ParsedSecurities {
  const csv = readCsvRecords(text);
  if (csv.fatal !== null) return { details: [], errors: [], fatal: csv.fatal };
  if (!csv.header.includes('symbol')) return { details: [], errors: [{ row: 0, column: 'symbol', message: 'missing required column' }], fatal: 'Missing required column: symbol' };
  if (csv.records.length === 0) return { details: [], errors: [], fatal: 'CSV has no data rows' };
  if (csv.records.length > SECURITY_IMPORT_MAX_ROWS) return { details: [], errors: [], fatal: `Too many rows: ${csv.records.length} (limit ${SECURITY_IMPORT_MAX_ROWS})` };
  const headerErrors: FieldError[] = csv.header
    .filter((c) => !(SECURITY_COLUMNS as readonly string[]).includes(c))
    .map((column) => ({ row: 0, column, message: `unknown column; expected ${SECURITY_COLUMNS.join(', ')}` }));
  const known = new Set<string>(SECURITY_COLUMNS);
  const rows = csv.records.map(({ record }) => Object.fromEntries(Object.entries(record).filter(([k]) => known.has(k))));
  return validateSecurityRows(rows, headerErrors);
}

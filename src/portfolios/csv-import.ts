import { readCsvRecords } from '../common/csv-records';
import type { FieldError } from '../common/errors';
import { parseDecimal } from '../common/numeric-input';
import { hasControlCharacter } from '../common/text-input';
import { PositionDraft, ValidPosition, validatePosition } from './position-rules';

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;

const REQUIRED = ['symbol', 'quantity', 'entry_price', 'entry_date'] as const;
const OPTIONAL = ['position_type', 'underlying_symbol', 'strike_price', 'expiration_date', 'option_type', 'implied_volatility'] as const;
const NUMERIC = new Set(['quantity', 'entry_price', 'strike_price', 'implied_volatility']);
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL]);

export interface ImportResult {
  rows: ValidPosition[];
  /** The line in the file of each of `rows` (absent with `fatal`). */
  lines?: number[];
  /** row = data row number (1 = first row after the header), line = line in the file. */
  errors: Array<FieldError & { row: number; line: number }>;
  fatal?: string;
}

function toDraft(record: Record<string, string>, numberErrors: FieldError[]): PositionDraft {
  const draft: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(record)) {
    const v = raw.trim();
    if (v === '') continue;
    if (hasControlCharacter(v)) numberErrors.push({ column: key, message: 'contains a control character' });
    else if (NUMERIC.has(key)) {
      const n = parseDecimal(v);
      if (n === null) numberErrors.push({ column: key, message: `"${v}" is not a number` });
      else draft[key] = n;
    } else draft[key] = v;
  }
  return draft as PositionDraft;
}

/**
 * Parses and checks a positions CSV: header row (case-insensitive), `#`
 * comments, BOM and CRLF accepted. Returns every row's errors, not just the first.
 */
export function parsePositionsCsv(text: string, today: string): ImportResult {
  const csv = readCsvRecords(text);
  if (csv.fatal !== null) return { rows: [], errors: [], fatal: csv.fatal };
  const { records, header } = csv;
  if (records.length === 0) return { rows: [], errors: [], fatal: 'CSV has no data rows' };
  const columns = header;
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) return { rows: [], errors: [], fatal: `Missing required column(s): ${missing.join(', ')}` };
  const unknown = columns.filter((c) => !KNOWN.has(c));
  if (unknown.length) return { rows: [], errors: [], fatal: `Unknown column(s): ${unknown.join(', ')}` };
  if (records.length > IMPORT_MAX_ROWS) return { rows: [], errors: [], fatal: `Too many rows: ${records.length} (limit ${IMPORT_MAX_ROWS})` };

  const rows: ValidPosition[] = [];
  const lines: number[] = [];
  const errors: ImportResult['errors'] = [];
  records.forEach(({ record, info }, i) => {
    const numberErrors: FieldError[] = [];
    const { value, errors: rowErrors } = validatePosition(toDraft(record, numberErrors), today);
    const all = [...numberErrors, ...rowErrors.filter((e) => !numberErrors.some((n) => n.column === e.field))];
    for (const e of all) errors.push({ row: i + 1, line: info.lines, column: e.column ?? e.field, message: e.message });
    if (value && all.length === 0) {
      rows.push(value);
      lines.push(info.lines);
    }
  });
  return { rows, lines, errors };
}

import { readCsvRecords } from '../common/csv-records';
import { parseDecimal } from '../common/numeric-input';
import type { CalendarDate } from '../common/branded';
import { badRequest } from '../common/errors';
import { IMPORT_MAX_ROWS } from '../portfolios/csv-import';
import type { EntryError, EntrySource } from './entry-errors';
import type { EntryItem } from './ledger-entry.service';
import { TransactionDraft, validateTransaction } from './transaction-rules';

const REQUIRED = ['type', 'date'] as const;
const OPTIONAL = ['symbol', 'quantity', 'price', 'fees', 'amount', 'note', 'position_type', 'option_type', 'underlying_symbol', 'strike_price',
  'expiration_date', 'implied_volatility'] as const;
const NUMERIC = new Set(['quantity', 'price', 'fees', 'amount', 'strike_price', 'implied_volatility']);
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL]);

export interface ParsedTransactions {
  items: EntryItem[];
  /** Per data row (the index of `errors.item`). */
  sources: EntrySource[];
  errors: EntryError[];
}

function toDraft(record: Record<string, string>, item: number, errors: EntryError[]): TransactionDraft {
  const draft: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(record)) {
    const v = raw.trim();
    if (v === '') continue;
    if (NUMERIC.has(key)) {
      const n = parseDecimal(v);
      if (n === null) errors.push({ item, field: key, message: `"${v}" is not a number (plain decimal or scientific notation)` });
      else draft[key] = n;
    } else draft[key] = v;
  }
  return draft as TransactionDraft;
}

function records(text: string): Array<{ record: Record<string, string>; info: { lines: number } }> {
  const csv = readCsvRecords(text);
  if (csv.fatal !== null) throw badRequest(csv.fatal, { errors: [] });
  const { records: rows, header } = csv;
  if (rows.length === 0) throw badRequest('CSV has no data rows', { errors: [] });
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw badRequest(`Missing required column(s): ${missing.join(', ')}`, { errors: [] });
  const unknown = header.filter((c) => !KNOWN.has(c));
  if (unknown.length) throw badRequest(`Unknown column(s): ${unknown.join(', ')}`, { errors: [] });
  if (rows.length > IMPORT_MAX_ROWS) throw badRequest(`Too many rows: ${rows.length} (limit ${IMPORT_MAX_ROWS})`, { errors: [] });
  return rows;
}

/**
 * Parses and checks a transactions CSV like the position import: header row
 * (case-insensitive), `#` comments, BOM and CRLF, every row's errors. Problems
 * with the file as a whole are thrown as a 400.
 */
export function parseTransactionsCsv(text: string, today: CalendarDate): ParsedTransactions {
  const out: ParsedTransactions = { items: [], sources: [], errors: [] };
  records(text).forEach(({ record, info }, i) => {
    out.sources.push({ row: i + 1, line: info.lines });
    const numberErrors: EntryError[] = [];
    const { value, errors } = validateTransaction(toDraft(record, i, numberErrors), today);
    out.errors.push(...numberErrors);
    for (const e of errors) {
      const field = e.field ?? e.column ?? 'row';
      if (!numberErrors.some((n) => n.field === field)) out.errors.push({ item: i, field, message: e.message });
    }
    // items keep the row index so later errors name the right row
    out.items.push({ tx: value!, row: i + 1, line: info.lines });
  });
  return out;
}

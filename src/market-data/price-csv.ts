import { readCsvRecords } from '../common/csv-records';
import { asCalendarDate, isCalendarDate } from '../common/branded';
import type { FieldError } from '../common/errors';
import type { StoredBar } from './price-store';
import { parseDecimal } from '../common/numeric-input';

export const PRICE_IMPORT_MAX_ROWS = 200_000;
const SYMBOL_RE = /^[A-Z0-9.-]{1,12}$/;
const OPTIONAL_NUMBERS = ['open', 'high', 'low', 'volume'] as const;

/** Parses `symbol,date,close[,open,high,low,volume]`; every bad row is reported, nothing partial. */
export function parsePricesCsv(text: string, today: string): { bars: StoredBar[]; errors: FieldError[]; fatal?: string } {
  const csv = readCsvRecords(text);
  if (csv.fatal !== null) return { bars: [], errors: [], fatal: csv.fatal };
  const { records, header } = csv;
  if (records.length === 0) return { bars: [], errors: [], fatal: 'CSV has no data rows' };
  const cols = header;
  const missing = ['symbol', 'date', 'close'].filter((c) => !cols.includes(c));
  if (missing.length) return { bars: [], errors: [], fatal: `Missing required column(s): ${missing.join(', ')}` };
  const unknown = cols.filter((c) => !['symbol', 'date', 'close', ...OPTIONAL_NUMBERS].includes(c));
  if (unknown.length) return { bars: [], errors: [], fatal: `Unknown column(s): ${unknown.join(', ')}` };
  if (records.length > PRICE_IMPORT_MAX_ROWS) return { bars: [], errors: [], fatal: `Too many rows: ${records.length} (limit ${PRICE_IMPORT_MAX_ROWS})` };

  const bars: StoredBar[] = [];
  const errors: FieldError[] = [];
  const firstRowOf = new Map<string, number>();
  records.forEach(({ record: r }, i) => {
    const row = i + 1;
    const rowErrors: FieldError[] = [];
    const symbol = (r.symbol ?? '').toUpperCase();
    const key = `${symbol}|${r.date}`;
    const seen = firstRowOf.get(key);
    if (seen !== undefined) rowErrors.push({ row, column: 'date', message: `duplicate of row ${seen} (${symbol} ${r.date})` });
    else firstRowOf.set(key, row);
    if (!SYMBOL_RE.test(symbol)) rowErrors.push({ row, column: 'symbol', message: 'must be 1-12 characters of A-Z 0-9 . -' });
    if (!isCalendarDate(r.date ?? '')) rowErrors.push({ row, column: 'date', message: 'must be an ISO date YYYY-MM-DD' });
    else if (r.date > today) rowErrors.push({ row, column: 'date', message: 'must not be in the future' });
    const close = parseDecimal(r.close ?? '') ?? NaN;
    if (!(close > 0)) rowErrors.push({ row, column: 'close', message: 'must be a positive number' });
    const extra: Record<string, number | null> = {};
    for (const c of OPTIONAL_NUMBERS) {
      const raw = r[c];
      if (raw === undefined || raw === '') { extra[c] = null; continue; }
      const n = parseDecimal(raw) ?? NaN;
      if (!(n >= 0) || (c === 'volume' && !Number.isSafeInteger(n))) rowErrors.push({ row, column: c, message: c === 'volume' ? 'must be a whole non-negative number' : 'must be a non-negative number' });
      extra[c] = n;
    }
    errors.push(...rowErrors);
    if (rowErrors.length === 0) {
      bars.push({ symbol, date: asCalendarDate(r.date), close, open: extra.open, high: extra.high, low: extra.low, volume: extra.volume, source: 'manual' });
    }
  });
  return { bars, errors };
}

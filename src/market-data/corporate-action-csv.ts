import { readCsvRecords } from '../common/csv-records';
import { asCalendarDate, isCalendarDate } from '../common/branded';
import type { CorporateAction } from '../ledger/ledger.types';

/**
 * `symbol,type,ex_date,pay_date,ratio,amount` rows (DESIGN §8), shared by the
 * admin upload (every row's error, nothing partial) and the CSV provider's
 * `SYMBOL.actions.csv` files (first error names file and line).
 */

export const ACTION_IMPORT_MAX_ROWS = 100_000;
export const ACTION_COLUMNS = ['symbol', 'type', 'ex_date', 'pay_date', 'ratio', 'amount'] as const;
const REQUIRED = ['symbol', 'type', 'ex_date'];
const SYMBOL_RE = /^[A-Z0-9.-]{1,12}$/;
// numeric(20,10) and numeric(20,6) in corporate_actions
const RATIO_RANGE = [1e-6, 1e6] as const;
const MAX_AMOUNT = 1e9;

/** row = data row (1 = first after the header, comments not counted), line = line in the file. */
export interface ActionRowError {
  row: number;
  line: number;
  column: string;
  message: string;
}

export interface ParsedActions {
  actions: CorporateAction[];
  errors: ActionRowError[];
  fatal?: string;
}

function positive(raw: string, column: string, errors: Array<{ column: string; message: string }>): number | null {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    errors.push({ column, message: `"${raw}" is not a positive number` });
    return null;
  }
  return n;
}

function validateRow(r: Record<string, string>): { action: CorporateAction | null; errors: Array<{ column: string; message: string }> } {
  const errors: Array<{ column: string; message: string }> = [];
  const symbol = (r.symbol ?? '').toUpperCase();
  if (!SYMBOL_RE.test(symbol)) errors.push({ column: 'symbol', message: 'must be 1-12 characters of A-Z 0-9 . -' });
  const type = (r.type ?? '').toUpperCase();
  if (type !== 'SPLIT' && type !== 'CASH_DIVIDEND') errors.push({ column: 'type', message: 'must be SPLIT or CASH_DIVIDEND' });
  const exDate = r.ex_date ?? '';
  if (!isCalendarDate(exDate)) errors.push({ column: 'ex_date', message: 'must be an ISO date YYYY-MM-DD' });
  const payDate = r.pay_date ?? '';
  if (payDate !== '') {
    if (!isCalendarDate(payDate)) errors.push({ column: 'pay_date', message: 'must be an ISO date YYYY-MM-DD' });
    else if (type === 'SPLIT') errors.push({ column: 'pay_date', message: 'only a CASH_DIVIDEND has a pay date' });
    else if (isCalendarDate(exDate) && payDate < exDate) errors.push({ column: 'pay_date', message: 'must not be before ex_date' });
  }
  const ratioRaw = r.ratio ?? '';
  const amountRaw = r.amount ?? '';
  let ratio: number | null = null;
  let amount: number | null = null;
  if (type === 'SPLIT') {
    if (ratioRaw === '') errors.push({ column: 'ratio', message: 'is required for a SPLIT (new shares per old share)' });
    else if ((ratio = positive(ratioRaw, 'ratio', errors)) !== null && (ratio < RATIO_RANGE[0] || ratio > RATIO_RANGE[1])) {
      errors.push({ column: 'ratio', message: `must be between ${RATIO_RANGE[0]} and ${RATIO_RANGE[1]}` });
    }
    if (amountRaw !== '') errors.push({ column: 'amount', message: 'must be empty for a SPLIT' });
  } else if (type === 'CASH_DIVIDEND') {
    if (amountRaw === '') errors.push({ column: 'amount', message: 'is required for a CASH_DIVIDEND (cash per share)' });
    else if ((amount = positive(amountRaw, 'amount', errors)) !== null && amount > MAX_AMOUNT) {
      errors.push({ column: 'amount', message: `must be at most ${MAX_AMOUNT}` });
    }
    if (ratioRaw !== '') errors.push({ column: 'ratio', message: 'must be empty for a CASH_DIVIDEND' });
  }
  if (errors.length) return { action: null, errors };
  return {
    action: { symbol, type: type as CorporateAction['type'], exDate: asCalendarDate(exDate), payDate: payDate ? asCalendarDate(payDate) : null, ratio, amount },
    errors,
  };
}

/**
 * Parses and checks a corporate-actions CSV; every bad row is reported (a
 * repeated symbol+type+ex_date too). With `onlySymbol`, rows for any other symbol are errors.
 */
export function parseCorporateActionsCsv(text: string, onlySymbol?: string): ParsedActions {
  const csv = readCsvRecords(text);
  if (csv.fatal !== null) return { actions: [], errors: [], fatal: csv.fatal };
  const { records, header } = csv;
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (header.length && missing.length) return { actions: [], errors: [], fatal: `Missing required column(s): ${missing.join(', ')}` };
  const unknown = header.filter((c) => !(ACTION_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) return { actions: [], errors: [], fatal: `Unknown column(s): ${unknown.join(', ')}` };
  if (records.length > ACTION_IMPORT_MAX_ROWS) return { actions: [], errors: [], fatal: `Too many rows: ${records.length} (limit ${ACTION_IMPORT_MAX_ROWS})` };

  const actions: CorporateAction[] = [];
  const errors: ActionRowError[] = [];
  const firstRowOf = new Map<string, number>();
  records.forEach(({ record, info }, i) => {
    const row = i + 1;
    const { action, errors: rowErrors } = validateRow(record);
    if (onlySymbol !== undefined && action && action.symbol !== onlySymbol) {
      rowErrors.push({ column: 'symbol', message: `must be ${onlySymbol}, the file's symbol` });
    }
    for (const e of rowErrors) errors.push({ row, line: info.lines, ...e });
    if (!action || rowErrors.length) return;
    const key = `${action.symbol}|${action.type}|${action.exDate}`;
    const seen = firstRowOf.get(key);
    if (seen !== undefined) errors.push({ row, line: info.lines, column: 'ex_date', message: `duplicate of row ${seen} (${action.symbol} ${action.type} ${action.exDate})` });
    else {
      firstRowOf.set(key, row);
      actions.push(action);
    }
  });
  return { actions, errors };
}

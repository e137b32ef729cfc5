import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CalendarDate, isCalendarDate } from '../../common/branded';
import { isTradingDay } from '../calendar/nyse-calendar';
import { DailyBar, describeCause, MarketDataError, MarketDataProvider } from './market-data-provider';

/**
 * Prices from a folder of `SYMBOL.csv` files with the header
 * `date,open,high,low,close,volume` (column order free; only date and close
 * required; empty optional cells become null). Rows on non-trading days are
 * ignored. Parsed files are cached until their size or mtime changes.
 */

export interface CsvProviderOptions {
  directory: string;
}

const SYMBOL_RE = /^[A-Za-z0-9^][A-Za-z0-9.^=_-]{0,31}$/;
const OPTIONAL = ['open', 'high', 'low', 'volume'] as const;
type Column = 'date' | 'close' | (typeof OPTIONAL)[number];
const KNOWN: ReadonlySet<string> = new Set<Column>(['date', 'close', ...OPTIONAL]);

const unquote = (cell: string): string => {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
};

function parseHeader(line: string, where: string): Map<Column, number> {
  const columns = new Map<Column, number>();
  line.split(',').forEach((cell, index) => {
    const name = unquote(cell).toLowerCase();
    if (!KNOWN.has(name)) return;
    if (columns.has(name as Column)) throw new Error(`${where}: duplicate column "${name}"`);
    columns.set(name as Column, index);
  });
  for (const required of ['date', 'close'] as const) {
    if (!columns.has(required)) throw new Error(`${where}: header lacks a "${required}" column`);
  }
  return columns;
}

function parseNumber(text: string, column: string, where: string, allowNull: boolean): number | null {
  if (text === '' && allowNull) return null;
  const value = text === '' ? Number.NaN : Number(text);
  const valid = Number.isFinite(value) && (column === 'volume' ? value >= 0 : value > 0);
  if (!valid) throw new Error(`${where}: invalid ${column} "${text}"`);
  return value;
}

function parseRow(cells: string[], columns: Map<Column, number>, symbol: string, where: string): DailyBar {
  const cell = (c: Column): string => unquote(cells[columns.get(c) ?? -1] ?? '');
  const date = cell('date');
  if (!isCalendarDate(date)) throw new Error(`${where}: invalid date "${date}" (expected YYYY-MM-DD)`);
  const [open, high, low, volume] = OPTIONAL.map((c) => (columns.has(c) ? parseNumber(cell(c), c, where, true) : null));
  const close = parseNumber(cell('close'), 'close', where, false) as number;
  return { symbol, date: date as CalendarDate, open, high, low, close, volume };
}

/**
 * Parses one `date,open,high,low,close,volume` file into ascending bars on
 * trading days. Errors name `fileLabel` and the 1-based line.
 */
export function parseDailyBarsCsv(text: string, symbol: string, fileLabel: string): DailyBar[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new Error(`${fileLabel}: empty file`);
  const columns = parseHeader(lines[headerIndex], `${fileLabel}:${headerIndex + 1}`);
  const width = lines[headerIndex].split(',').length;
  const seen = new Map<string, number>();
  const bars: DailyBar[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const where = `${fileLabel}:${i + 1}`;
    const cells = lines[i].split(',');
    if (cells.length !== width) throw new Error(`${where}: expected ${width} fields, got ${cells.length}`);
    const bar = parseRow(cells, columns, symbol, where);
    const previous = seen.get(bar.date);
    if (previous !== undefined) throw new Error(`${where}: duplicate date ${bar.date} (first on line ${previous})`);
    seen.set(bar.date, i + 1);
    if (isTradingDay(bar.date)) bars.push(bar);
  }
  return bars.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  bars: DailyBar[];
}

export class CsvMarketDataProvider implements MarketDataProvider {
  readonly name = 'csv' as const;
  private readonly cache = new Map<string, CachedFile>();

  constructor(private readonly options: CsvProviderOptions) {}

  async fetchDailyBars(symbol: string, from: CalendarDate, to: CalendarDate): Promise<DailyBar[]> {
    if (!SYMBOL_RE.test(symbol)) throw new MarketDataError(symbol, `csv: invalid symbol "${symbol}"`);
    const file = await this.findFile(symbol);
    const bars = await this.load(symbol, file);
    return bars.filter((b) => b.date >= from && b.date <= to).map((b) => ({ ...b, symbol }));
  }

  private async findFile(symbol: string): Promise<{ file: string; mtimeMs: number; size: number }> {
    const candidates = [...new Set([symbol, symbol.toUpperCase()])].map((s) => path.join(this.options.directory, `${s}.csv`));
    for (const file of candidates) {
      try {
        const stat = await fs.stat(file);
        if (stat.isFile()) return { file, mtimeMs: stat.mtimeMs, size: stat.size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new MarketDataError(symbol, `${symbol}: cannot read ${file}: ${describeCause(err)}`, err);
        }
      }
    }
    throw new MarketDataError(symbol, `${symbol}: no price file ${candidates[0]}`);
  }

  private async load(symbol: string, found: { file: string; mtimeMs: number; size: number }): Promise<DailyBar[]> {
    const cached = this.cache.get(found.file);
    if (cached && cached.mtimeMs === found.mtimeMs && cached.size === found.size) return cached.bars;
    let text: string;
    try {
      text = await fs.readFile(found.file, 'utf8');
    } catch (err) {
      throw new MarketDataError(symbol, `${symbol}: cannot read ${found.file}: ${describeCause(err)}`, err);
    }
    let bars: DailyBar[];
    try {
      bars = parseDailyBarsCsv(text, symbol, found.file);
    } catch (err) {
      throw new MarketDataError(symbol, `${symbol}: ${describeCause(err)}`, err);
    }
    this.cache.set(found.file, { mtimeMs: found.mtimeMs, size: found.size, bars });
    return bars;
  }
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CalendarDate, isCalendarDate } from '../../common/branded';
import type { CorporateAction } from '../../ledger/ledger.types';
import { isTradingDay } from '../calendar/nyse-calendar';
import { parseCorporateActionsCsv } from '../corporate-action-csv';
import { DailyBar, describeCause, MarketDataError, MarketDataProvider, SecurityDetails, SecurityDetailsResult } from './market-data-provider';
import { parseSecuritiesCsv } from '../securities/security-csv';

/**
 * Prices from a folder of `SYMBOL.csv` files with the header
 * `date,open,high,low,close,volume` (column order free; only date and close
 * required; empty optional cells become null). Rows on non-trading days are
 * ignored. Corporate actions come from `SYMBOL.actions.csv` beside them
 * (`symbol,type,ex_date,pay_date,ratio,amount`; no file = no actions).
 * Classifications come from one `symbols.csv`
 * (`symbol,name,sector,industry,country,asset_class`; see security-csv.ts).
 * Parsed files are cached until their size or mtime changes.
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

/**
 * Parses one `SYMBOL.actions.csv` file; every row must be for `symbol`.
 * The first bad row throws, naming `fileLabel` and its line.
 */
export function parseActionsFile(text: string, symbol: string, fileLabel: string): CorporateAction[] {
  const parsed = parseCorporateActionsCsv(text, symbol.toUpperCase());
  if (parsed.fatal) throw new Error(`${fileLabel}: ${parsed.fatal}`);
  const [first] = parsed.errors;
  if (first) throw new Error(`${fileLabel}:${first.line}: ${first.column} ${first.message}`);
  return parsed.actions.sort((a, b) => (a.exDate < b.exDate ? -1 : a.exDate > b.exDate ? 1 : a.type < b.type ? -1 : 1));
}

/** Parses `symbols.csv` by symbol; the first bad row throws, naming the file, row and column. */
export function parseSymbolsFile(text: string, _symbol: string, fileLabel: string): Map<string, SecurityDetails> {
  const parsed = parseSecuritiesCsv(text);
  if (parsed.fatal) throw new Error(`${fileLabel}: ${parsed.fatal}`);
  const [first] = parsed.errors;
  if (first) throw new Error(`${fileLabel}: row ${first.row} ${first.column}: ${first.message}`);
  return new Map(parsed.details.map((d) => [d.symbol, d]));
}

interface CachedFile<T> {
  mtimeMs: number;
  size: number;
  value: T;
}

type FoundFile = { file: string; mtimeMs: number; size: number };

export class CsvMarketDataProvider implements MarketDataProvider {
  readonly name = 'csv' as const;
  private readonly cache = new Map<string, CachedFile<DailyBar[]>>();
  private readonly actionCache = new Map<string, CachedFile<CorporateAction[]>>();
  private readonly symbolsCache = new Map<string, CachedFile<Map<string, SecurityDetails>>>();

  constructor(private readonly options: CsvProviderOptions) {}

  async fetchDailyBars(symbol: string, from: CalendarDate, to: CalendarDate): Promise<DailyBar[]> {
    if (!SYMBOL_RE.test(symbol)) throw new MarketDataError(symbol, `csv: invalid symbol "${symbol}"`);
    const file = await this.findFile(symbol, '.csv');
    if (!file) throw new MarketDataError(symbol, `${symbol}: no price file ${path.join(this.options.directory, `${symbol}.csv`)}`);
    const bars = await this.load(symbol, file, this.cache, parseDailyBarsCsv);
    return bars.filter((b) => b.date >= from && b.date <= to).map((b) => ({ ...b, symbol }));
  }

  async fetchCorporateActions(symbol: string, from: CalendarDate, to: CalendarDate): Promise<CorporateAction[]> {
    if (!SYMBOL_RE.test(symbol)) throw new MarketDataError(symbol, `csv: invalid symbol "${symbol}"`);
    const file = await this.findFile(symbol, '.actions.csv');
    if (!file) return [];
    const actions = await this.load(symbol, file, this.actionCache, parseActionsFile);
    return actions.filter((a) => a.exDate >= from && a.exDate <= to).map((a) => ({ ...a, symbol }));
  }

  /** From `symbols.csv`; a symbol it does not list is absent (read again next time). A bad file fails every symbol. */
  async fetchSecurityDetails(symbols: string[]): Promise<SecurityDetailsResult> {
    if (!symbols.length) return { details: [], failed: [] };
    try {
      const file = await this.findFile('symbols', '.csv');
      if (!file) return { details: [], failed: [] };
      const listed = await this.load('symbols.csv', file, this.symbolsCache, parseSymbolsFile);
      const details = symbols.flatMap((s) => {
        const d = listed.get(s.toUpperCase());
        return d ? [{ ...d, symbol: s }] : [];
      });
      return { details, failed: [] };
    } catch (err) {
      return { details: [], failed: symbols.map((symbol) => ({ symbol, message: describeCause(err) })) };
    }
  }

  /** The symbol's file (as given, then upper case), or null when there is none. */
  private async findFile(symbol: string, suffix: string): Promise<FoundFile | null> {
    const candidates = [...new Set([symbol, symbol.toUpperCase()])].map((s) => path.join(this.options.directory, `${s}${suffix}`));
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
    return null;
  }

  private async load<T>(symbol: string, found: FoundFile, cache: Map<string, CachedFile<T>>, parseFile: (text: string, symbol: string, file: string) => T): Promise<T> {
    const cached = cache.get(found.file);
    if (cached && cached.mtimeMs === found.mtimeMs && cached.size === found.size) return cached.value;
    let text: string;
    try {
      text = await fs.readFile(found.file, 'utf8');
    } catch (err) {
      throw new MarketDataError(symbol, `${symbol}: cannot read ${found.file}: ${describeCause(err)}`, err);
    }
    let value: T;
    try {
      value = parseFile(text, symbol, found.file);
    } catch (err) {
      throw new MarketDataError(symbol, `${symbol}: ${describeCause(err)}`, err);
    }
    cache.set(found.file, { mtimeMs: found.mtimeMs, size: found.size, value });
    return value;
  }
}

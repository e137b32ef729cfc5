import { parse } from 'csv-parse/sync';

/** One data row of a CSV upload: its cells by lower-case column, and where it ended in the file. */
export interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number };
}

/**
 * The one way every CSV upload is read: a header row (case-insensitive,
 * trimmed), `#` comment lines, BOM and CRLF accepted, blank lines skipped,
 * trailing optional cells may be left off a row. `fatal` when the text is not CSV.
 */
export function readCsvRecords(text: string): { records: CsvRecord[]; header: string[]; fatal: null } | { records: []; header: []; fatal: string } {
  let header: string[] = [];
  try {
    const records: CsvRecord[] = parse(text, {
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim().toLowerCase())),
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count_less: true,
    });
    return { records, header, fatal: null };
  } catch (e) {
    return { records: [], header: [], fatal: `Malformed CSV: ${(e as Error).message}` };
  }
}

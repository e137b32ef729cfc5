import { useState } from 'preact/hooks';
import { ApiError, postCsv, type FieldError } from '../api';
import { Section, TableWrap, errorText } from './ui';

type Kind = 'positions' | 'transactions';
const MAX_SHOWN_LINES = 500;

/**
 * CSV import by drag and drop (or the file picker). The API imports all or
 * nothing; on a 400 every bad row's message is shown on its own line of the file.
 */
export function ImportPanel({ id, onImported }: { id: string; onImported: () => void }) {
  const [kind, setKind] = useState<Kind>('positions');
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; imported: number; name: string } | { ok: false; name: string; lines: string[]; errors: FieldError[]; detail: string } | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    setResult(null);
    const text = await file.text();
    const path = kind === 'positions' ? `/api/v1/portfolio/${id}/import?mode=${mode}` : `/api/v1/portfolio/${id}/transactions/import`;
    try {
      const r = await postCsv<{ imported: number }>(path, text);
      setResult({ ok: true, imported: r.imported, name: file.name });
      onImported();
    } catch (e) {
      const errors = e instanceof ApiError ? e.body.errors ?? [] : [];
      setResult({ ok: false, name: file.name, lines: text.replace(/^\uFEFF/, '').split(/\r?\n/), errors, detail: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer?.files?.[0];
    if (f) void upload(f);
  };

  return (
    <Section title="Import CSV" id="import">
      <div class="row-form">
        <div class="field">
          <label for="import-kind">File holds</label>
          <select id="import-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            <option value="positions">Positions (symbol, quantity, entry_price, entry_date…)</option>
            <option value="transactions">Transactions (type, date, symbol, quantity, price…)</option>
          </select>
        </div>
        {kind === 'positions' && (
          <div class="field">
            <label for="import-mode">Mode</label>
            <select id="import-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as 'append' | 'replace')}>
              <option value="append">Add to the portfolio</option>
              <option value="replace">Replace every holding and transaction</option>
            </select>
          </div>
        )}
      </div>
      <label
        class={`dropzone ${over ? 'over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span>{busy ? 'Importing…' : 'Drop a CSV file here, or choose one'}</span>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file to import"
          disabled={busy}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void upload(f);
          }}
        />
      </label>
      <div aria-live="polite">
        {result?.ok && (
          <p class="success" role="status">
            Imported {result.imported} rows from {result.name}.
          </p>
        )}
        {result && !result.ok && <ImportErrors {...result} />}
      </div>
    </Section>
  );
}

function ImportErrors({ name, lines, errors, detail }: { name: string; lines: string[]; errors: FieldError[]; detail: string }) {
  const byLine = new Map<number, FieldError[]>();
  const unplaced: FieldError[] = [];
  for (const e of errors) {
    if (e.line) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
    else unplaced.push(e);
  }
  // show the file around the errors: every bad line, and the header for context
  const shown = lines
    .map((text, i) => ({ n: i + 1, text }))
    .filter((l) => l.n === 1 || byLine.has(l.n) || lines.length <= 50)
    .filter((l) => l.text.length > 0)
    .slice(0, MAX_SHOWN_LINES);
  return (
    <div class="import-errors" role="alert">
      <p class="error">
        Nothing was imported from {name}: {detail}
      </p>
      <TableWrap label="File lines with errors">
        <table class="data csv" data-testid="import-errors">
          <thead>
            <tr>
              <th scope="col" class="num">Line</th>
              <th scope="col">Content</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => {
              const errs = byLine.get(l.n);
              return (
                <tr key={l.n} class={errs ? 'bad-row' : ''} data-line={l.n}>
                  <td class="num">{l.n}</td>
                  <td>
                    <code>{l.text}</code>
                  </td>
                  <td>
                    {errs?.map((e, i) => (
                      <div key={i} class="row-error">
                        {e.column ? <strong>{e.column}: </strong> : null}
                        {e.message}
                      </div>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map((e, i) => (
            <li key={i}>
              {e.row ? `Row ${e.row}: ` : ''}
              {e.column ?? e.field ? `${e.column ?? e.field}: ` : ''}
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

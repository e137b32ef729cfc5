import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';

export type Async<T> = { loading: boolean; data?: T; error?: unknown; reload: () => void };

/** Loads once per `deps` change; `reload()` loads again. Late answers of an older load are dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ loading: boolean; data?: T; error?: unknown }>({ loading: true });
  const seq = useRef(0);
  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => mine === seq.current && setState({ loading: false, data }),
      (error) => mine === seq.current && setState({ loading: false, error }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    run();
    return () => void seq.current++;
  }, [run]);
  return { ...state, reload: run };
}

export const errorText = (e: unknown) => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="muted loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty muted">{children}</p>;
}

export function ErrorNote({ error }: { error: unknown }) {
  return (
    <p class="error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Unavailable({ what }: { what: string }) {
  return (
    <p class="unavailable muted" data-unavailable>
      {what} is not available yet on this server.
    </p>
  );
}

/** Renders the loading, error or data state of an async value. */
export function Show<T>({ value, what, children }: { value: Async<T>; what?: string; children: (data: T) => ComponentChildren }) {
  if (value.error) return <ErrorNote error={value.error} />;
  if (value.data === undefined) return <Loading what={what} />;
  return <>{children(value.data)}</>;
}

export function Section({ title, id, actions, children }: { title: string; id: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={`${id}-title`} id={id}>
      <header class="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions && <div class="panel-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

const STATUS_TEXT: Record<string, string> = {
  queued: 'Queued', running: 'Running', completed: 'Completed', partial: 'Partial', failed: 'Failed',
  cancelled: 'Cancelled', pending: 'Pending', skipped: 'Skipped',
};
export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span class="muted">never run</span>;
  return <span class={`badge badge-${status}`}>{STATUS_TEXT[status] ?? status}</span>;
}

export function Card({ label, value, hint, tone }: { label: string; value: string; hint?: string; tone?: string }) {
  return (
    <div class="card">
      <div class="card-label">{label}</div>
      <div class={`card-value ${tone ?? ''}`}>{value}</div>
      {hint && <div class="card-hint muted">{hint}</div>}
    </div>
  );
}

export function Pager({ offset, limit, total, onPage, label }: { offset: number; limit: number; total: number; onPage: (offset: number) => void; label: string }) {
  if (total <= limit) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onPage(offset + limit)}>
        Next
      </button>
    </nav>
  );
}

/** A scrollable table region that keyboard users can reach (WCAG: scrollable regions are focusable). */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

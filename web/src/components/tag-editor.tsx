import { useState } from 'preact/hooks';
import { api, call } from '../api';
import { ErrorNote } from './ui';

/**
 * A holding's tags, edited in place: comma-separated, saved with
 * PUT …/positions/{id}/tags (which replaces them). A refused list (over 64
 * characters, a control character) shows the server's reason in place and
 * changes nothing. Tags count in the exposures and the decomposition from
 * the next calculation.
 */
export function TagEditor({ portfolioId, positionId, symbol, tags }: { portfolioId: string; positionId: string; symbol: string; tags: string[] }) {
  const [saved, setSaved] = useState(tags);
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (draft === null) {
    return (
      <span class="tags" data-testid={`tags-${symbol}`}>
        {saved.length ? saved.map((t) => <span key={t} class="badge">{t}</span>) : <span class="muted">none</span>}{' '}
        <button type="button" class="secondary small" aria-label={`Edit the tags of ${symbol}`} onClick={() => (setError(null), setDraft(saved.join(', ')))}>
          Edit
        </button>
      </span>
    );
  }
  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const list = draft.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
    try {
      const r = await call(api.PUT('/api/v1/portfolio/{id}/positions/{positionId}/tags', { params: { path: { id: portfolioId, positionId } }, body: { tags: list } }));
      setSaved(r.tags);
      setDraft(null);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="tag-form" onSubmit={save}>
      <input
        value={draft}
        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        aria-label={`Tags of ${symbol}, separated by commas`}
        placeholder="core, income"
      />{' '}
      <button type="submit" class="small" disabled={saving}>
        Save
      </button>{' '}
      <button type="button" class="secondary small" onClick={() => setDraft(null)}>
        Cancel
      </button>
      {error !== null && <ErrorNote error={error} />}
    </form>
  );
}

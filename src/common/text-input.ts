/**
 * Control characters in text input. A NUL cannot be stored in a PostgreSQL
 * text column (the statement fails: a 500), and the other C0/C1 controls in a
 * name, symbol or email are never meant: both are a 400. Fields that are
 * free text over several lines (notes, descriptions, comments) may hold tab,
 * line feed and carriage return; passwords are whatever the user typed but NUL.
 */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_WHITESPACE_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Fields whose text may span lines. */
const MULTILINE_FIELDS = new Set(['notes', 'note', 'description', 'comment', 'password']);

export function hasControlCharacter(text: string, multiline = false): boolean {
  return (multiline ? CONTROL_EXCEPT_WHITESPACE_RE : CONTROL_RE).test(text);
}

/**
 * The path of the first string (value, or key) in `value` holding a control
 * character, e.g. `name` or `positions[3].symbol`; null when there is none.
 * The JSON shape limits (json-limits.ts) bound the depth before this walk.
 */
export function findControlCharacter(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    const field = path.replace(/\[\d+\]$/, '').split('.').pop() ?? '';
    return hasControlCharacter(value, MULTILINE_FIELDS.has(field)) ? path || 'value' : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (hasControlCharacter(key)) return at;
      const found = findControlCharacter(v, at);
      if (found) return found;
    }
  }
  return null;
}

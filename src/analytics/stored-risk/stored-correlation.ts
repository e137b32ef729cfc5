/**
 * The correlation section's stored form. The matrix is symmetric with a unit
 * diagonal (correlationMatrix sets m[i][j] and m[j][i] to the same number),
 * so it is stored as its upper triangle (`upper`, row by row, i < j): half
 * the numbers to print, send and store, and the matrix read back is the one
 * computed. A matrix that is not of that form is stored as it is.
 */
type Matrix = (number | null)[][];
interface StoredCorrelation { matrix?: Matrix; upper?: (number | null)[]; [key: string]: unknown }

export function toStoredCorrelation(section: unknown): unknown {
  const c = section as StoredCorrelation | null;
  if (!c || !Array.isArray(c.matrix)) return section;
  const upper = upperTriangle(c.matrix);
  if (!upper) return section;
  const { matrix: _, ...rest } = c;
  return { ...rest, upper };
}

export function fromStoredCorrelation(section: unknown): unknown {
  const c = section as StoredCorrelation | null;
  if (!c || !Array.isArray(c.upper)) return section;
  const { upper, ...rest } = c;
  const n = Array.isArray(rest.position_ids) ? rest.position_ids.length : sizeOf(upper.length);
  const m: Matrix = [];
  for (let i = 0; i < n; i++) m.push(new Array<number | null>(n));
  let k = 0;
  for (let i = 0; i < n; i++) {
    m[i][i] = 1;
    for (let j = i + 1; j < n; j++) m[i][j] = m[j][i] = upper[k++];
  }
  return { ...rest, matrix: m };
}

/** The entries above the diagonal when `m` is square, symmetric and has a unit diagonal; else null. */
function upperTriangle(m: Matrix): (number | null)[] | null {
  const n = m.length;
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const row = m[i];
    if (!Array.isArray(row) || row.length !== n || row[i] !== 1) return null;
    for (let j = i + 1; j < n; j++) {
      if (!Object.is(row[j], m[j]?.[i])) return null;
      out.push(row[j]);
    }
  }
  return out;
}

/** n for n(n − 1)/2 entries. */
function sizeOf(entries: number): number {
  return Math.round((1 + Math.sqrt(1 + 8 * entries)) / 2);
}

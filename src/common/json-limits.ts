import type { IncomingMessage } from 'node:http';

/**
 * Shape limits on JSON bodies, checked on the raw bytes before JSON.parse (and
 * before anything recursive — class-transformer, validation — walks the
 * value): ~1,400 nested brackets used to crash an unauthenticated route.
 * No request body of this API nests deeper than a few levels or carries an
 * array near the limit (a CSV import of 10,000 rows goes as text/csv).
 */
export const JSON_MAX_DEPTH = 32;
export const JSON_MAX_ARRAY_LENGTH = 10_000;

/** A body-parser error: 400 with this detail (http-exception.filter.ts reads `type` and `expose`). */
export class JsonShapeError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.shape.rejected';
}

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * One linear pass over the raw JSON: nesting depth and array lengths, with
 * strings skipped (brackets and commas inside them are text). Malformed JSON
 * is left to JSON.parse to report.
 */
export function checkJsonShape(buf: Buffer, maxDepth = JSON_MAX_DEPTH, maxArray = JSON_MAX_ARRAY_LENGTH): void {
  // per open container: -1 for an object, else the array's element count so far (0 = maybe empty)
  const stack: number[] = [];
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (stack.length >= maxDepth) throw new JsonShapeError('JSON nested too deeply');
      stack.push(c === OPEN_OBJECT ? -1 : 0);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack.length - 1;
      if (top >= 0 && stack[top] >= 0) {
        stack[top] += stack[top] === 0 ? 2 : 1; // the first comma closes two elements
        if (stack[top] > maxArray) throw new JsonShapeError(`JSON array too long (at most ${maxArray} elements)`);
      }
    }
  }
}

/**
 * Options for the JSON body parser: the shape check runs as its `verify` step
 * (Nest's option type leaves `verify` out, for its raw-body mode, unused here).
 */
export function jsonBodyParserOptions(): Record<string, unknown> {
  return {
    verify: (_req: IncomingMessage, _res: unknown, buf: Buffer) => checkJsonShape(buf),
  };
}

import fc from 'fast-check';
import type { ApiDocument, Schema } from './openapi-schemas';

/* eslint-disable @typescript-eslint/no-explicit-any */

const isoDate = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** Values a hostile or careless client sends: wrong types, extremes, control characters, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null, true, 0, -1, 1e308, -1e308, 1e-7, 1e20, 2 ** 53 + 1, '', ' ', 'a\u0000b', '\u0007bell', '0x1F', '1e5', 'NaN', 'Infinity',
    '2025-02-30', '9999-99-99', '../../etc/passwd', "' OR 1=1 --", '<script>', 'x'.repeat(10_000), [], {}, [1, 'a', null], { $gt: '' },
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth))),
);

/** Hostile path segments (URL-encoded by the caller). */
export const hostileSegment = fc.constantFrom('0', 'abc', '00000000-0000-0000-0000-00000000000g', "1' OR '1'='1", 'a'.repeat(2000), '%00', '..', 'null', '-1', '1e308');

/** A hostile query-string value. */
export const hostileQueryValue = fc.oneof(fc.constantFrom('', '0x10', '1e3', '-1', '99999999999999999999', '1.5', 'a\u0000', '%00', ' 5', '[]', 'null'), fc.string({ maxLength: 20 }));

function resolve(doc: ApiDocument, schema: Schema): Schema {
  let s = schema;
  while (s && typeof s.$ref === 'string') s = doc.components!.schemas![s.$ref.replace('#/components/schemas/', '')];
  if (s?.allOf?.length === 1 && !s.properties) return { ...resolve(doc, s.allOf[0]), nullable: s.nullable };
  return s ?? {};
}

/** Values the document accepts for `schema` (best effort: a pattern, a format, bounds and enums are honoured). */
export function valid(doc: ApiDocument, raw: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const inner = validNonNull(doc, schema);
  return schema.nullable ? fc.oneof(inner, fc.constant(null)) : inner;
}

function validNonNull(doc: ApiDocument, s: Schema): fc.Arbitrary<unknown> {
  if (s.oneOf || s.anyOf) return fc.oneof(...(s.oneOf ?? s.anyOf).map((x: Schema) => valid(doc, x)));
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum.filter((v: unknown) => v !== null));
  switch (s.type) {
    case 'string':
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date') return isoDate;
      if (s.format === 'date-time') return isoDate.map((d) => `${d}T12:00:00.000Z`);
      if (s.format === 'email') return fc.tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.nat(1e6)).map(([a, n]) => `${a}${n}@example.com`);
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) }).filter((x) => x.length >= (s.minLength ?? 0));
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(doc, s.items ?? {}), { maxLength: 3 });
    case 'object': {
      const props = s.properties ?? {};
      const required: string[] = s.required ?? [];
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(doc, v as Schema)])), { requiredKeys: required });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Probably-invalid bodies built from valid ones: one field made hostile, an
 * unknown field, a required field dropped, or the whole body replaced. The
 * caller decides with the document's own schema whether the result is invalid.
 */
export function mutated(doc: ApiDocument, raw: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const base = valid(doc, schema);
  const fields = Object.keys(schema.properties ?? {});
  const options: fc.Arbitrary<unknown>[] = [
    hostileValue,
    fc.tuple(base, fc.string({ minLength: 1, maxLength: 12 }), hostileValue).map(([b, k, v]) => (isObject(b) ? { ...b, [`x_${k}`]: v } : [b])),
  ];
  if (fields.length) {
    options.push(fc.tuple(base, fc.constantFrom(...fields), hostileValue).map(([b, k, v]) => (isObject(b) ? { ...b, [k]: v } : b)));
    options.push(fc.tuple(base, fc.constantFrom(...fields)).map(([b, k]) => (isObject(b) ? omit(b, k) : b)));
  }
  return fc.oneof(...options);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const omit = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

/** Does a query-string value satisfy its parameter schema (as the server would read the string)? */
export function queryValueIsValid(doc: ApiDocument, raw: Schema, value: string): boolean {
  const s = resolve(doc, raw);
  if (Array.isArray(s.enum)) return s.enum.map(String).includes(value);
  if (s.type === 'integer' || s.type === 'number') {
    if (!(s.type === 'integer' ? /^-?(0|[1-9]\d*)$/ : /^-?(0|[1-9]\d*)(\.\d+)?$/).test(value)) return false;
    const n = Number(value);
    return Number.isSafeInteger(Math.trunc(n)) && (s.minimum === undefined || n >= s.minimum) && (s.maximum === undefined || n <= s.maximum);
  }
  if (s.type === 'boolean') return value === 'true' || value === 'false';
  if (s.format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (s.format === 'uuid') return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  if (s.pattern) return new RegExp(s.pattern).test(value);
  return true;
}

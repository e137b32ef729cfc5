import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Schema = Record<string, any>;
export type ApiDocument = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const REF_PREFIX = '#/components/schemas/';
const ROOT_ID = 'openapi';

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a null
 * alternative, component refs point into one shared root, and an object that
 * lists its properties without saying otherwise allows no others (strict: a
 * field the code sends but the document lacks is drift).
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
      out.$ref = `${ROOT_ID}#/definitions/${value.slice(REF_PREFIX.length)}`;
    } else if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]));
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (out.properties && out.additionalProperties === undefined && out.type === 'object') out.additionalProperties = false;
  if ((schema as Schema).nullable === true) {
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    const composed = ['$ref', 'allOf', 'oneOf', 'anyOf'].some((k) => k in out);
    if (typeof out.type === 'string' && !composed) return { ...out, type: [out.type, 'null'] };
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** One ajv holding the document's component schemas; compiles any schema of the document. */
export function schemaCompiler(doc: ApiDocument): (schema: Schema) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const definitions = Object.fromEntries(Object.entries(doc.components?.schemas ?? {}).map(([k, v]) => [k, toJsonSchema(v)]));
  ajv.addSchema({ $id: ROOT_ID, definitions });
  return (schema) => ajv.compile(toJsonSchema(schema) as Schema);
}

/** `/api/v1/portfolio/{id}` → a regex matching a concrete path; literal templates sort first. */
export function pathMatchers(doc: ApiDocument): Array<{ template: string; regex: RegExp }> {
  return Object.keys(doc.paths)
    .map((template) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params)
    .map(({ template, regex }) => ({ template, regex }));
}

export const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0].trim().toLowerCase();

import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { badRequest } from './errors';

/** Deeper JSON than any request of this API needs; bounded before class-transformer recurses into it. */
export const MAX_JSON_DEPTH = 32;

/** Depth of nested arrays/objects, without recursion (a hostile body can nest thousands deep). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) max = depth + 1;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Runs before the ValidationPipe: a body nested ~1,400 deep overflowed the
 * stack in plainToInstance (a 500, found by test/fuzz.e2e-spec.ts).
 */
@Injectable()
export class JsonDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' && jsonDepth(value) > MAX_JSON_DEPTH) throw badRequest(`Request body nested deeper than ${MAX_JSON_DEPTH} levels`);
    return value;
  }
}

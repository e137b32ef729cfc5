import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { badRequest, DomainError, FieldError } from './errors';
import { findControlCharacter } from './text-input';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The global pipe: unknown fields rejected, every field error listed as
 * `errors: [{field, message}]`, and (one rule for every body and query, so
 * no DTO can forget it) no control character in any text.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const field = findControlCharacter(value);
      if (field) throw badRequest(`${field} contains a control character`, { errors: [{ field, message: 'contains a control character' }] });
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      return new DomainError('bad_request', list.map((e) => `${e.field}: ${e.message}`).join('; ') || 'Invalid input', { errors: list });
    },
  });
}

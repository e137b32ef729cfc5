import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { rootLogger } from './logging';
import { DomainError, DomainErrorKind } from './errors';
import { JsonShapeError } from './json-limits';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
};

/** The one place errors become HTTP: `{status_code, error, detail, ...extra}`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, detail, extra } = describe(exception);
    if (status >= 500) rootLogger().error({ err: exception }, 'unhandled error');
    if (res.headersSent) return;
    if (typeof extra.retry_after_seconds === 'number') res.setHeader('Retry-After', String(extra.retry_after_seconds));
    res.status(status).json({ status_code: status, error: STATUS_CODES[status] ?? 'Error', detail, ...extra });
  }
}

function describe(exception: unknown): { status: number; detail: string; extra: Record<string, unknown> } {
  if (exception instanceof DomainError) {
    return { status: STATUS_BY_KIND[exception.kind], detail: exception.message, extra: exception.extra };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // The express adapter wraps body-parser errors in an HttpException with the original as cause.
    const parserDetail = bodyParserDetail(exception.cause);
    if (parserDetail) return { status, detail: parserDetail, extra: {} };
    const body = exception.getResponse();
    if (typeof body === 'string') return { status, detail: status === 413 ? 'Request body too large' : body, extra: {} };
    const b = body as Record<string, unknown>;
    const message = Array.isArray(b.message) ? b.message.join('; ') : String(b.message ?? exception.message);
    return { status, detail: status === 413 ? 'Request body too large' : message, extra: {} };
  }
  // PostgreSQL data exceptions (class 22: numeric overflow, NUL byte, bad date…) are bad input that
  // got past the edge; a 400 without the statement's parameters, and the statement stored nothing
  if (/^22[0-9A-Z]{3}$/.test(sqlState(exception) ?? '')) {
    return { status: HttpStatus.BAD_REQUEST, detail: 'A value is out of range or not valid for its field', extra: {} };
  }
  // body-parser errors (malformed JSON, too large) carry status/type fields
  const e = exception as { status?: number; type?: string; message?: string };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, detail: bodyParserDetail(e) ?? String(e.message), extra: {} };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, detail: 'Internal server error', extra: {} };
}

function bodyParserDetail(e: unknown): string | null {
  const type = (e as { type?: unknown } | undefined)?.type;
  if (e instanceof JsonShapeError) return e.message;
  return type === 'entity.too.large' ? 'Request body too large' : type === 'entity.parse.failed' ? 'Malformed JSON body' : null;
}

/** SQLSTATE of a failed statement: pg's error, or TypeORM's QueryFailedError around it. */
function sqlState(e: unknown): string | null {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.driverError?.code ?? (typeof err?.code === 'string' && err && 'severity' in err ? err.code : undefined);
  return typeof code === 'string' ? code : null;
}

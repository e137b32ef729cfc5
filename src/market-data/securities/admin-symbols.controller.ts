import { Controller, Get, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../../auth/decorators';
import { ApiErrors } from '../../common/api-errors';
import { csvUploadBody } from '../../common/csv-upload-body';
import { badRequest, DomainError } from '../../common/errors';
import { SecurityMasterStore } from '../security-master.store';
import { SymbolsQuery } from './admin-symbols.dto';
import { SymbolListResponse, SymbolsUploadResponse } from './admin-symbols.responses';
import { SECURITY_COLUMNS } from './security-classes';
import { parseSecuritiesCsv, ParsedSecurities, SECURITY_IMPORT_MAX_ROWS, validateSecurityRows } from './security-csv';

const EXAMPLE_CSV = 'symbol,name,sector,industry,country,asset_class\nAAPL,Apple Inc.,Information Technology,Technology Hardware,US,Equity';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/market-data')
export class AdminSymbolsController {
  constructor(private readonly store: SecurityMasterStore) {}

  @Post('symbols')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 10 * 1024 * 1024, files: 1 } }))
  @ApiOperation({
    summary: 'Load classifications by hand (sector, industry, country, asset class per symbol), replacing any provider row; all or nothing',
    requestBody: symbolsBody(),
  })
  @ApiCreatedResponse({ type: SymbolsUploadResponse })
  @ApiErrors(400, 413)
  async upload(@Req() req: Request, @UploadedFile() file?: { buffer: Buffer }) {
    const parsed = parseBody(file ? file.buffer.toString('utf8') : req.body);
    if (parsed.fatal) throw new DomainError('bad_request', parsed.fatal, { errors: parsed.errors });
    if (parsed.errors.length) {
      const rows = new Set(parsed.errors.filter((e) => e.row !== 0).map((e) => e.row)).size;
      const header = parsed.errors.some((e) => e.row === 0) ? 'the header and ' : '';
      throw new DomainError('bad_request', `${header}${rows} row(s) have errors; nothing was stored`, { errors: parsed.errors });
    }
    const stored = await this.store.upsert(parsed.details.map((d) => ({ ...d, source: 'admin' })));
    return { stored, symbols: parsed.details.map((d) => d.symbol) };
  }

  @Get('symbols')
  @ApiOperation({ summary: 'Classifications of the given symbols; a symbol without a row shows as Unclassified (source null)' })
  @ApiOkResponse({ type: SymbolListResponse })
  @ApiErrors(400)
  async list(@Query() q: SymbolsQuery) {
    const [classes, stored] = await Promise.all([this.store.classify(q.symbols), this.store.stored(q.symbols)]);
    const rows = new Map(stored.map((r) => [r.symbol, r]));
    return {
      symbols: [...classes.values()].map((c) => ({ ...c, source: rows.get(c.symbol)?.source ?? null, updated_at: rows.get(c.symbol)?.updated_at ?? null })),
    };
  }
}

/** CSV text, or JSON `{symbols: [{symbol, name, sector, industry, country, asset_class}]}`: the same row checks for both. */
function parseBody(body: unknown): ParsedSecurities {
  if (typeof body === 'string') return parseSecuritiesCsv(body);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Send CSV (text/csv or multipart field "file") or JSON {"symbols": [...]}');
  const { symbols, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) throw badRequest(`Unknown field(s): ${extra.join(', ')}`, { errors: extra.map((field) => ({ field, message: 'unknown field' })) });
  if (!Array.isArray(symbols) || symbols.length === 0) throw badRequest('symbols must be a non-empty array', { errors: [{ field: 'symbols', message: 'must be a non-empty array' }] });
  if (symbols.length > SECURITY_IMPORT_MAX_ROWS) throw badRequest(`Too many rows: ${symbols.length} (limit ${SECURITY_IMPORT_MAX_ROWS})`);
  const notObject = symbols.flatMap((r, i) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? [] : [{ row: i + 1, message: 'must be an object' }]));
  if (notObject.length) return { details: [], errors: notObject };
  return validateSecurityRows(symbols as Array<Record<string, unknown>>);
}

function symbolsBody() {
  const body = csvUploadBody(EXAMPLE_CSV);
  const row = { type: 'object', required: ['symbol'], properties: Object.fromEntries(SECURITY_COLUMNS.map((c) => [c, { type: 'string', nullable: c !== 'symbol' }])) };
  return {
    ...body,
    content: {
      ...body.content,
      'application/json': { schema: { type: 'object', required: ['symbols'], properties: { symbols: { type: 'array', minItems: 1, items: row } } } },
    },
  };
}

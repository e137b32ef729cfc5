import { Controller, Get, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/decorators';
import { badRequest, DomainError } from '../common/errors';
import { ActionsImportResultDto, CorporateActionDto, CorporateActionListDto, ListActionsQuery } from './admin-actions.dto';
import { parseCorporateActionsCsv } from './corporate-action-csv';
import { CorporateActionStore } from './corporate-action.store';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/market-data')
export class AdminActionsController {
  constructor(private readonly store: CorporateActionStore) {}

  @Post('actions')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 10 * 1024 * 1024, files: 1 } }))
  @ApiOperation({ summary: 'Load splits and cash dividends by hand: CSV symbol,type,ex_date,pay_date,ratio,amount; all or nothing' })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({ schema: { type: 'string', example: 'symbol,type,ex_date,pay_date,ratio,amount\nAAPL,SPLIT,2020-08-31,,4,\nAAPL,CASH_DIVIDEND,2024-08-12,2024-08-15,,0.25' } })
  @ApiCreatedResponse({ type: ActionsImportResultDto })
  async upload(@Req() req: Request, @UploadedFile() file?: { buffer: Buffer }): Promise<ActionsImportResultDto> {
    const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : null;
    if (text === null) throw badRequest('Send the CSV as a text/csv body or as multipart field "file"');
    const parsed = parseCorporateActionsCsv(text);
    if (parsed.fatal) throw new DomainError('bad_request', parsed.fatal, { errors: [] });
    if (parsed.errors.length) {
      throw new DomainError('bad_request', `${new Set(parsed.errors.map((e) => e.row)).size} row(s) have errors; nothing was stored`, { errors: parsed.errors });
    }
    if (!parsed.actions.length) throw new DomainError('bad_request', 'CSV has no data rows', { errors: [] });
    const imported = await this.store.upsert(parsed.actions.map((a) => ({ ...a, source: 'manual' })));
    const symbols: Record<string, number> = {};
    for (const a of parsed.actions) symbols[a.symbol] = (symbols[a.symbol] ?? 0) + 1;
    return { imported, symbols };
  }

  @Get('actions')
  @ApiOperation({ summary: 'Stored splits and cash dividends, by symbol and ex-date' })
  @ApiOkResponse({ type: CorporateActionListDto })
  async list(@Query() q: ListActionsQuery): Promise<CorporateActionListDto> {
    const actions = await this.store.list(q.symbol ?? null, q.limit ?? 1000);
    return { actions: actions.map(CorporateActionDto.from) };
  }
}

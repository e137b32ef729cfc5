import { Controller, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { csvUploadBody } from '../common/csv-upload-body';
import { PricesUploadResponse } from './market-data.responses';
import type { Request } from 'express';
import { Roles } from '../auth/decorators';
import { badRequest, DomainError } from '../common/errors';
import { parsePricesCsv } from './price-csv';
import { PriceStore } from './price-store';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/market-data')
export class AdminPricesController {
  constructor(private readonly store: PriceStore) {}

  @Post('prices')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 10 * 1024 * 1024, files: 1 } }))
  @ApiOperation({
    summary: 'Load daily prices by hand: CSV symbol,date,close[,open,high,low,volume]; all or nothing',
    requestBody: csvUploadBody('symbol,date,close\nAAPL,2025-06-02,201.7'),
  })
  @ApiCreatedResponse({ type: PricesUploadResponse })
  @ApiErrors(400, 413)
  async upload(@Req() req: Request, @UploadedFile() file?: { buffer: Buffer }) {
    const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : null;
    if (text === null) throw badRequest('Send the CSV as a text/csv body or as multipart field "file"');
    const parsed = parsePricesCsv(text, new Date().toISOString().slice(0, 10));
    if (parsed.fatal) throw new DomainError('bad_request', parsed.fatal, { errors: [] });
    if (parsed.errors.length) {
      throw new DomainError('bad_request', `${new Set(parsed.errors.map((e) => e.row)).size} row(s) have errors; nothing was stored`, { errors: parsed.errors });
    }
    await this.store.upsert(parsed.bars);
    const bySymbol: Record<string, number> = {};
    for (const b of parsed.bars) bySymbol[b.symbol] = (bySymbol[b.symbol] ?? 0) + 1;
    return { stored: parsed.bars.length, symbols: bySymbol };
  }
}

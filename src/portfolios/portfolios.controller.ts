import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { csvUploadBody } from '../common/csv-upload-body';
import { ImportResponse, PortfolioResponse, PositionResponse } from './portfolio.responses';
import type { Request } from 'express';
import { CurrentUser } from '../auth/decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { PortfolioId, PositionId } from '../common/branded';
import { PortfolioIdParam, PositionIdParam } from '../common/branded-input';
import { badRequest, DomainError } from '../common/errors';
import { IMPORT_MAX_BYTES, parsePositionsCsv } from './csv-import';
import { CreatePortfolioDto, ImportQueryDto, UpdatePortfolioDto } from './portfolio.dto';
import { toPortfolioView, toPositionView } from './portfolio.views';
import { PortfoliosService, todayUtc } from './portfolios.service';
import { CreatePositionDto, UpdatePositionDto } from './position.dto';

@ApiTags('portfolios')
@ApiBearerAuth()
@Controller('portfolio')
export class PortfoliosController {
  constructor(private readonly portfolios: PortfoliosService) {}

  @Post()
  @ApiOperation({ summary: 'Create a portfolio' })
  @ApiCreatedResponse({ type: PortfolioResponse })
  async create(@CurrentUser() user: AuthenticatedUser, @Body() dto: CreatePortfolioDto) {
    return toPortfolioView(await this.portfolios.create(user.id, dto), 0);
  }

  @Get()
  @ApiOperation({ summary: "The caller's portfolios" })
  @ApiOkResponse({ type: [PortfolioResponse] })
  async list(@CurrentUser() user: AuthenticatedUser) {
    return (await this.portfolios.list(user.id)).map((r) => toPortfolioView(r.portfolio, r.positionCount));
  }

  @Get(':id')
  @ApiOkResponse({ type: PortfolioResponse })
  @ApiErrors(404)
  async get(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId) {
    const portfolio = await this.portfolios.getOwned(user.id, id);
    return toPortfolioView(portfolio, await this.portfolios.countPositions(portfolio.id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: PortfolioResponse, description: 'Without position_count' })
  @ApiErrors(404)
  async update(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Body() dto: UpdatePortfolioDto) {
    return toPortfolioView(await this.portfolios.update(user.id, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a portfolio with its positions, snapshots and analytics (batch-run history is kept)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async remove(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId) {
    await this.portfolios.remove(user.id, id);
  }

  @Get(':id/positions')
  @ApiOkResponse({ type: [PositionResponse] })
  @ApiErrors(404)
  async positions(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId) {
    return (await this.portfolios.listPositions(user.id, id)).map(toPositionView);
  }

  @Post(':id/positions')
  @ApiCreatedResponse({ type: PositionResponse })
  @ApiErrors(404)
  async addPosition(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Body() dto: CreatePositionDto) {
    return toPositionView(await this.portfolios.addPosition(user.id, id, dto));
  }

  @Patch(':id/positions/:positionId')
  @ApiOkResponse({ type: PositionResponse })
  @ApiErrors(404)
  async updatePosition(
    @CurrentUser() user: AuthenticatedUser,
    @PortfolioIdParam() id: PortfolioId,
    @PositionIdParam('positionId') positionId: PositionId,
    @Body() dto: UpdatePositionDto,
  ) {
    return toPositionView(await this.portfolios.updatePosition(user.id, id, positionId, dto));
  }

  @Delete(':id/positions/:positionId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async removePosition(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @PositionIdParam('positionId') positionId: PositionId) {
    await this.portfolios.removePosition(user.id, id, positionId);
  }

  @Post(':id/import')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary: 'Import positions from CSV (text/csv body or multipart field "file"); all or nothing',
    requestBody: csvUploadBody('symbol,quantity,entry_price,entry_date\nAAPL,100,150,2024-01-02'),
  })
  @ApiCreatedResponse({ type: ImportResponse })
  @ApiErrors(400, 404, 413)
  async import(
    @CurrentUser() user: AuthenticatedUser,
    @PortfolioIdParam() portfolioId: PortfolioId,
    @Query() query: ImportQueryDto,
    @Req() req: Request,
    @UploadedFile() file?: { buffer: Buffer },
  ) {
    await this.portfolios.getOwned(user.id, portfolioId);
    const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : null;
    if (text === null) throw badRequest('Send the CSV as a text/csv body or as multipart field "file"');
    const parsed = parsePositionsCsv(text, todayUtc());
    if (parsed.fatal) throw new DomainError('bad_request', parsed.fatal, { errors: [] });
    if (parsed.errors.length > 0) {
      const rows = new Set(parsed.errors.map((e) => e.row)).size;
      throw new DomainError('bad_request', `${rows} row(s) have errors; nothing was imported`, { errors: parsed.errors });
    }
    const saved = await this.portfolios.storePositions(portfolioId, parsed.rows, query.mode ?? 'append');
    return { imported: saved.length, mode: query.mode ?? 'append', positions: saved.map(toPositionView) };
  }
}

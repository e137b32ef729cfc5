import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser } from '../auth/decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ApiErrors } from '../common/api-errors';
import type { PortfolioId, PositionId } from '../common/branded';
import { PortfolioIdParam, PositionIdParam } from '../common/branded-input';
import { csvUploadBody } from '../common/csv-upload-body';
import { badRequest, DomainError } from '../common/errors';
import { IMPORT_MAX_BYTES, parsePositionsCsv } from './csv-import';
import { CreatePortfolioDto, ImportQueryDto, UpdatePortfolioDto } from './portfolio.dto';
import { ImportResponse, PortfolioResponse, PositionResponse } from './portfolio.responses';
import { toPortfolioView } from './portfolio.views';
import { PortfoliosService, todayUtc } from './portfolios.service';
import { PositionsService } from './positions.service';
import { CreatePositionDto, UpdatePositionDto } from './position.dto';
import { PositionTagsDto, PositionTagsResponse } from './position-tags.dto';

@ApiTags('portfolios')
@ApiBearerAuth()
@Controller('portfolio')
export class PortfoliosController {
  constructor(
    private readonly portfolios: PortfoliosService,
    private readonly positions: PositionsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a portfolio' })
  @ApiCreatedResponse({ type: PortfolioResponse })
  async create(@CurrentUser() user: AuthenticatedUser, @Body() dto: CreatePortfolioDto) {
    const p = await this.portfolios.create(user.id, dto);
    return toPortfolioView(p, await this.portfolios.summary(p.id as PortfolioId));
  }

  @Get()
  @ApiOperation({ summary: "The caller's portfolios" })
  @ApiOkResponse({ type: [PortfolioResponse] })
  async list(@CurrentUser() user: AuthenticatedUser) {
    return (await this.portfolios.list(user.id)).map((r) => toPortfolioView(r.portfolio, r.summary));
  }

  @Get(':id')
  @ApiOkResponse({ type: PortfolioResponse })
  @ApiErrors(404)
  async get(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId) {
    const portfolio = await this.portfolios.getOwned(user.id, id);
    return toPortfolioView(portfolio, await this.portfolios.summary(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: PortfolioResponse, description: 'Without position_count' })
  @ApiErrors(404)
  async update(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Body() dto: UpdatePortfolioDto) {
    const p = await this.portfolios.update(user.id, id, dto);
    return toPortfolioView(p, await this.portfolios.summary(id), false);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a portfolio with its ledger, snapshots and analytics (batch-run history is kept)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async remove(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId) {
    await this.portfolios.remove(user.id, id);
  }

  @Get(':id/positions')
  @ApiOperation({ summary: 'Open positions today: open lots summed per holding' })
  @ApiOkResponse({ type: [PositionResponse] })
  @ApiErrors(404, 409)
  async listPositions(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId) {
    await this.portfolios.getOwned(user.id, id);
    return this.positions.list(id);
  }

  @Post(':id/positions')
  @ApiOperation({ summary: 'Add to a position: a TRANSFER_IN on entry_date at entry_price into its holding' })
  @ApiCreatedResponse({ type: PositionResponse })
  @ApiErrors(404, 409)
  async addPosition(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Body() dto: CreatePositionDto) {
    await this.portfolios.getOwned(user.id, id);
    return this.positions.add(user.id, id, dto);
  }

  @Patch(':id/positions/:positionId')
  @ApiOperation({ summary: 'Change a holding; quantity, price and date only for a holding opened by a single TRANSFER_IN (else 409)' })
  @ApiOkResponse({ type: PositionResponse })
  @ApiErrors(404, 409)
  async updatePosition(
    @CurrentUser() user: AuthenticatedUser,
    @PortfolioIdParam() id: PortfolioId,
    @PositionIdParam('positionId') positionId: PositionId,
    @Body() dto: UpdatePositionDto,
  ) {
    return this.positions.update(user.id, id, positionId, dto);
  }

  @Put(':id/positions/:positionId/tags')
  @ApiOperation({ summary: "Replace a holding's tags (exposures by tag; its lots inherit them)" })
  @ApiOkResponse({ type: PositionTagsResponse })
  @ApiErrors(400, 404)
  async setTags(
    @CurrentUser() user: AuthenticatedUser,
    @PortfolioIdParam() id: PortfolioId,
    @PositionIdParam('positionId') positionId: PositionId,
    @Body() dto: PositionTagsDto,
  ) {
    await this.portfolios.getOwned(user.id, id);
    return this.positions.setTags(id, positionId, dto.tags);
  }

  @Delete(':id/positions/:positionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a holding with all its transactions' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404, 409)
  async removePosition(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @PositionIdParam('positionId') positionId: PositionId) {
    await this.positions.remove(user.id, id, positionId);
  }

  @Post(':id/import')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary: 'Import positions from CSV (text/csv body or multipart field "file") as TRANSFER_INs; all or nothing',
    requestBody: csvUploadBody('symbol,quantity,entry_price,entry_date\nAAPL,100,150,2024-01-02'),
  })
  @ApiCreatedResponse({ type: ImportResponse })
  @ApiErrors(400, 404, 409, 413)
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
    const mode = query.mode ?? 'append';
    const holdingIds = await this.positions.store(user.id, portfolioId, parsed.rows, mode, parsed.lines);
    return { imported: parsed.rows.length, mode, positions: await this.positions.views(portfolioId, holdingIds) };
  }
}

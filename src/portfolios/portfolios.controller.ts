import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser } from '../auth/decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { asPortfolioId } from '../common/branded';
import { badRequest, DomainError } from '../common/errors';
import { IMPORT_MAX_BYTES, parsePositionsCsv } from './csv-import';
import { CreatePortfolioDto, ImportQueryDto, UpdatePortfolioDto } from './portfolio.dto';
import { toPortfolioView } from './portfolio.views';
import { PortfoliosService, todayUtc } from './portfolios.service';
import { PositionsService } from './positions.service';
import { CreatePositionDto, UpdatePositionDto } from './position.dto';

const uuid = new ParseUUIDPipe({ version: undefined });

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
  async create(@CurrentUser() user: AuthenticatedUser, @Body() dto: CreatePortfolioDto) {
    const p = await this.portfolios.create(user.id, dto);
    return toPortfolioView(p, await this.portfolios.summary(asPortfolioId(p.id)));
  }

  @Get()
  @ApiOperation({ summary: "The caller's portfolios" })
  async list(@CurrentUser() user: AuthenticatedUser) {
    return (await this.portfolios.list(user.id)).map((r) => toPortfolioView(r.portfolio, r.summary));
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string) {
    const portfolio = await this.portfolios.getOwned(user.id, asPortfolioId(id));
    return toPortfolioView(portfolio, await this.portfolios.summary(asPortfolioId(id)));
  }

  @Patch(':id')
  async update(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Body() dto: UpdatePortfolioDto) {
    const p = await this.portfolios.update(user.id, asPortfolioId(id), dto);
    return toPortfolioView(p, await this.portfolios.summary(asPortfolioId(id)), false);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a portfolio with its ledger, snapshots and analytics (batch-run history is kept)' })
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string) {
    await this.portfolios.remove(user.id, asPortfolioId(id));
  }

  @Get(':id/positions')
  @ApiOperation({ summary: 'Open positions today: open lots summed per holding' })
  async listPositions(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string) {
    await this.portfolios.getOwned(user.id, asPortfolioId(id));
    return this.positions.list(asPortfolioId(id));
  }

  @Post(':id/positions')
  @ApiOperation({ summary: 'Add to a position: a TRANSFER_IN on entry_date at entry_price into its holding' })
  async addPosition(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Body() dto: CreatePositionDto) {
    await this.portfolios.getOwned(user.id, asPortfolioId(id));
    return this.positions.add(user.id, asPortfolioId(id), dto);
  }

  @Patch(':id/positions/:positionId')
  @ApiOperation({ summary: 'Change a holding; quantity, price and date only for a holding opened by a single TRANSFER_IN (else 409)' })
  async updatePosition(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuid) id: string,
    @Param('positionId', uuid) positionId: string,
    @Body() dto: UpdatePositionDto,
  ) {
    return this.positions.update(user.id, asPortfolioId(id), positionId, dto);
  }

  @Delete(':id/positions/:positionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a holding with all its transactions' })
  async removePosition(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Param('positionId', uuid) positionId: string) {
    await this.positions.remove(user.id, asPortfolioId(id), positionId);
  }

  @Post(':id/import')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }))
  @ApiOperation({ summary: 'Import positions from CSV (text/csv body or multipart field "file") as TRANSFER_INs; all or nothing' })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({ schema: { type: 'string', example: 'symbol,quantity,entry_price,entry_date\nAAPL,100,150,2024-01-02' } })
  async import(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuid) id: string,
    @Query() query: ImportQueryDto,
    @Req() req: Request,
    @UploadedFile() file?: { buffer: Buffer },
  ) {
    const portfolioId = asPortfolioId(id);
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

import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors';
import { csvUploadBody } from '../common/csv-upload-body';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import type { PortfolioId } from '../common/branded';
import { PortfolioIdParam, TransactionIdParam } from '../common/branded-input';
import { badRequest } from '../common/errors';
import { IMPORT_MAX_BYTES } from '../portfolios/csv-import';
import { LotView, RealizedView, TransactionImportView, TransactionListView, TransactionView } from './ledger-responses.dto';
import { LedgerReplayService } from './ledger-replay.service';
import { toLotViews, toRealizedViews, toTransactionView } from './ledger.views';
import { PortfolioAccess } from './portfolio-access';
import { CreateTransactionDto, RealizedQueryDto, TransactionQueryDto, UpdateTransactionDto } from './transaction.dto';
import { TransactionsService } from './transactions.service';
import { PositionTagStore } from '../portfolios/position-tag.store';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('portfolio/:id')
export class TransactionsController {
  constructor(
    private readonly transactions: TransactionsService,
    private readonly replay: LedgerReplayService,
    private readonly access: PortfolioAccess,
    private readonly tags: PositionTagStore,
  ) {}

  @Post('transactions')
  @ApiOperation({ summary: 'Record a transaction (trade, cash flow, transfer, early exercise/assignment)' })
  @ApiCreatedResponse({ type: TransactionView })
  @ApiErrors(404, 409)
  async create(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Body() dto: CreateTransactionDto): Promise<TransactionView> {
    return toTransactionView(await this.transactions.create(user.id, id, dto));
  }

  @Get('transactions')
  @ApiOperation({ summary: "The portfolio's transactions by date, the batch's with source \"system\"" })
  @ApiOkResponse({ type: TransactionListView })
  @ApiErrors(404)
  async list(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Query() q: TransactionQueryDto): Promise<TransactionListView> {
    const page = await this.transactions.list(user.id, id, { ...q, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return { total: page.total, transactions: page.transactions.map(toTransactionView) };
  }

  @Patch('transactions/:txId')
  @ApiOperation({ summary: 'Edit a user transaction (system ones are read-only: 409)' })
  @ApiOkResponse({ type: TransactionView })
  @ApiErrors(404, 409)
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @PortfolioIdParam() id: PortfolioId,
    @TransactionIdParam('txId') txId: string,
    @Body() dto: UpdateTransactionDto,
  ): Promise<TransactionView> {
    return toTransactionView(await this.transactions.update(user.id, id, txId, dto));
  }

  @Delete('transactions/:txId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user transaction (system ones are read-only: 409)' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  async remove(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @TransactionIdParam('txId') txId: string): Promise<void> {
    await this.transactions.remove(user.id, id, txId);
  }

  @Post('transactions/import')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary: 'Import transactions from CSV (text/csv body or multipart field "file"); all or nothing',
    requestBody: csvUploadBody('type,date,symbol,quantity,price,fees,amount\nDEPOSIT,2025-01-02,,,,,10000\nBUY,2025-01-03,AAPL,10,185,1,'),
  })
  @ApiCreatedResponse({ type: TransactionImportView })
  @ApiErrors(404, 409, 413)
  async import(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Req() req: Request, @UploadedFile() file?: { buffer: Buffer }): Promise<TransactionImportView> {
    const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : null;
    if (text === null) {
      await this.access.assertOwned(user.id, id);
      throw badRequest('Send the CSV as a text/csv body or as multipart field "file"');
    }
    const saved = await this.transactions.import(user.id, id, text);
    return { imported: saved.length, transactions: saved.map(toTransactionView) };
  }

  @Get('lots')
  @ApiOperation({ summary: 'Open lots as of today (FIFO or AVERAGE per the portfolio)' })
  @ApiOkResponse({ type: [LotView] })
  @ApiErrors(404, 409)
  async lots(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId): Promise<LotView[]> {
    await this.access.assertOwned(user.id, id);
    const [{ state }, tags] = await Promise.all([this.replay.replayOne(id), this.tags.tagsOf([id])]);
    return toLotViews(state, tags);
  }

  @Get('realized')
  @ApiOperation({ summary: 'Closed lot matches and their realized P&L, by closing date' })
  @ApiOkResponse({ type: RealizedView })
  @ApiErrors(404, 409)
  async realized(@CurrentUser() user: AuthenticatedUser, @PortfolioIdParam() id: PortfolioId, @Query() q: RealizedQueryDto): Promise<RealizedView> {
    await this.access.assertOwned(user.id, id);
    return toRealizedViews((await this.replay.replayOne(id)).state, q.from, q.to);
  }
}

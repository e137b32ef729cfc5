import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import { asPortfolioId } from '../common/branded';
import { badRequest } from '../common/errors';
import { IMPORT_MAX_BYTES } from '../portfolios/csv-import';
import { LotView, RealizedView, TransactionImportView, TransactionListView, TransactionView } from './ledger-responses.dto';
import { LedgerReplayService } from './ledger-replay.service';
import { toLotViews, toRealizedViews, toTransactionView } from './ledger.views';
import { PortfolioAccess } from './portfolio-access';
import { CreateTransactionDto, RealizedQueryDto, TransactionQueryDto, UpdateTransactionDto } from './transaction.dto';
import { TransactionsService } from './transactions.service';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('portfolio/:id')
export class TransactionsController {
  constructor(
    private readonly transactions: TransactionsService,
    private readonly replay: LedgerReplayService,
    private readonly access: PortfolioAccess,
  ) {}

  @Post('transactions')
  @ApiOperation({ summary: 'Record a transaction (trade, cash flow, transfer, early exercise/assignment)' })
  @ApiCreatedResponse({ type: TransactionView })
  async create(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Body() dto: CreateTransactionDto): Promise<TransactionView> {
    return toTransactionView(await this.transactions.create(user.id, asPortfolioId(id), dto));
  }

  @Get('transactions')
  @ApiOperation({ summary: "The portfolio's transactions by date, the batch's with source \"system\"" })
  @ApiOkResponse({ type: TransactionListView })
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Query() q: TransactionQueryDto): Promise<TransactionListView> {
    const page = await this.transactions.list(user.id, asPortfolioId(id), { ...q, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return { total: page.total, transactions: page.transactions.map(toTransactionView) };
  }

  @Patch('transactions/:txId')
  @ApiOperation({ summary: 'Edit a user transaction (system ones are read-only: 409)' })
  @ApiOkResponse({ type: TransactionView })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', uuid) id: string,
    @Param('txId', uuid) txId: string,
    @Body() dto: UpdateTransactionDto,
  ): Promise<TransactionView> {
    return toTransactionView(await this.transactions.update(user.id, asPortfolioId(id), txId, dto));
  }

  @Delete('transactions/:txId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user transaction (system ones are read-only: 409)' })
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Param('txId', uuid) txId: string): Promise<void> {
    await this.transactions.remove(user.id, asPortfolioId(id), txId);
  }

  @Post('transactions/import')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }))
  @ApiOperation({ summary: 'Import transactions from CSV (text/csv body or multipart field "file"); all or nothing' })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({ schema: { type: 'string', example: 'type,date,symbol,quantity,price,fees,amount\nDEPOSIT,2025-01-02,,,,,10000\nBUY,2025-01-03,AAPL,10,185,1,' } })
  @ApiCreatedResponse({ type: TransactionImportView })
  async import(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Req() req: Request, @UploadedFile() file?: { buffer: Buffer }): Promise<TransactionImportView> {
    const text = file ? file.buffer.toString('utf8') : typeof req.body === 'string' ? req.body : null;
    if (text === null) {
      await this.access.assertOwned(user.id, asPortfolioId(id));
      throw badRequest('Send the CSV as a text/csv body or as multipart field "file"');
    }
    const saved = await this.transactions.import(user.id, asPortfolioId(id), text);
    return { imported: saved.length, transactions: saved.map(toTransactionView) };
  }

  @Get('lots')
  @ApiOperation({ summary: 'Open lots as of today (FIFO or AVERAGE per the portfolio)' })
  @ApiOkResponse({ type: [LotView] })
  async lots(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string): Promise<LotView[]> {
    await this.access.assertOwned(user.id, asPortfolioId(id));
    return toLotViews((await this.replay.replayOne(asPortfolioId(id))).state);
  }

  @Get('realized')
  @ApiOperation({ summary: 'Closed lot matches and their realized P&L, by closing date' })
  @ApiOkResponse({ type: RealizedView })
  async realized(@CurrentUser() user: AuthenticatedUser, @Param('id', uuid) id: string, @Query() q: RealizedQueryDto): Promise<RealizedView> {
    await this.access.assertOwned(user.id, asPortfolioId(id));
    return toRealizedViews((await this.replay.replayOne(asPortfolioId(id))).state, q.from, q.to);
  }
}

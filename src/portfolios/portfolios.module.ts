import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerModule } from '../ledger/ledger.module';
import { PortfolioEntity } from './portfolio.entity';
import { PortfoliosController } from './portfolios.controller';
import { PortfoliosService } from './portfolios.service';
import { PositionEdit } from './position-edit';
import { PositionEntity } from './position.entity';
import { PositionsService } from './positions.service';
import { PositionTagStore } from './position-tag.store';

@Module({
  imports: [TypeOrmModule.forFeature([PortfolioEntity, PositionEntity]), LedgerModule],
  controllers: [PortfoliosController],
  providers: [PortfoliosService, PositionsService, PositionEdit, PositionTagStore],
  exports: [PortfoliosService, PositionsService, PositionTagStore],
})
export class PortfoliosModule {}

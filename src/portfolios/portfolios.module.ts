import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PortfolioEntity } from './portfolio.entity';
import { PortfoliosController } from './portfolios.controller';
import { PortfoliosService } from './portfolios.service';
import { PortfolioBookReader } from './portfolio-book.reader';
import { PositionEntity } from './position.entity';

@Module({
  imports: [TypeOrmModule.forFeature([PortfolioEntity, PositionEntity])],
  controllers: [PortfoliosController],
  providers: [PortfoliosService, PortfolioBookReader],
  exports: [PortfoliosService, PortfolioBookReader],
})
export class PortfoliosModule {}

import { PortfolioEntity } from '../portfolios/portfolio.entity';
import { PositionEntity } from '../portfolios/position.entity';
import { UserEntity } from '../users/user.entity';

/** Every TypeORM entity of the app, listed explicitly (no globs: the same list serves src and dist). */
export const ENTITIES = [UserEntity, PortfolioEntity, PositionEntity];

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numericTransformer } from '../common/numeric-transformer';

export const POSITION_TYPES = ['LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP'] as const;
export type PositionType = (typeof POSITION_TYPES)[number];
export const OPTION_TYPES: readonly PositionType[] = ['LC', 'LP', 'SC', 'SP'];
export const isOptionType = (t: PositionType): boolean => OPTION_TYPES.includes(t);
/** Quantity sign each type requires: long types positive, short types negative. */
export const isShortType = (t: PositionType): boolean => t === 'SHORT' || t === 'SC' || t === 'SP';

/** A holding (DESIGN §8): one instrument in one direction in one portfolio; quantity and cost come from its transactions. */
@Entity('positions')
export class PositionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'portfolio_id', type: 'uuid' })
  portfolioId: string;

  @Column({ type: 'text' })
  symbol: string;

  @Column({ name: 'position_type', type: 'text' })
  positionType: PositionType;

  @Column({ name: 'underlying_symbol', type: 'text', nullable: true })
  underlyingSymbol: string | null;

  @Column({ name: 'strike_price', type: 'numeric', precision: 20, scale: 6, nullable: true, transformer: numericTransformer })
  strikePrice: number | null;

  @Column({ name: 'expiration_date', type: 'date', nullable: true })
  expirationDate: string | null;

  @Column({ name: 'implied_volatility', type: 'numeric', precision: 10, scale: 6, nullable: true, transformer: numericTransformer })
  impliedVolatility: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

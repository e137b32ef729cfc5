import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { numericTransformer } from '../common/numeric-transformer';

@Entity('portfolios')
export class PortfolioEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'char', length: 3, default: 'USD' })
  currency: string;

  /** Legacy: cash is derived from the ledger's transactions; kept for the data migrated from it. */
  @Column({ name: 'cash_balance', type: 'numeric', precision: 20, scale: 6, default: 0, transformer: numericTransformer })
  cashBalance: number;

  /** FIFO or AVERAGE lot matching (DESIGN §8). */
  @Column({ name: 'cost_basis_method', type: 'text', default: 'FIFO' })
  costBasisMethod: 'FIFO' | 'AVERAGE';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

import { numericTransformer } from '../database/numeric.transformer';

/** A position per asset and strategy (owned by position-manager; read here, written by the simulator). */
@Entity({ name: 'positions' })
export class PositionEntity {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ type: 'varchar', length: 30 })
  asset!: string;

  @Column({ name: 'strategy_id', type: 'varchar', length: 100, nullable: true })
  strategyId!: string | null;

  @Column({ type: 'numeric', default: 0, transformer: numericTransformer })
  size!: number;

  @Column({ name: 'average_entry_price', type: 'numeric', default: 0, transformer: numericTransformer })
  averageEntryPrice!: number;

  @Column({ name: 'current_price', type: 'numeric', default: 0, transformer: numericTransformer })
  currentPrice!: number;

  @Column({ name: 'unrealized_pnl', type: 'numeric', default: 0, transformer: numericTransformer })
  unrealizedPnl!: number;

  @Column({ name: 'unrealized_pnl_pct', type: 'double precision', default: 0 })
  unrealizedPnlPct!: number;

  @Column({ name: 'realized_pnl', type: 'numeric', default: 0, transformer: numericTransformer })
  realizedPnl!: number;

  @Column({ name: 'opened_at', type: 'timestamptz', default: () => 'now()' })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

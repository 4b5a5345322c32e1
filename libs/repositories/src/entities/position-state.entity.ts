import { Column, Entity, PrimaryColumn } from 'typeorm';

import { numericTransformer } from '../database/numeric.transformer';

/** exit-strategy's persisted memory of one open position. */
@Entity({ name: 'position_states' })
export class PositionStateEntity {
  @PrimaryColumn({ name: 'position_key', type: 'varchar', length: 200 })
  positionKey!: string;

  @Column({ name: 'position_id', type: 'varchar', length: 128 })
  positionId!: string;

  @Column({ type: 'varchar', length: 30 })
  asset!: string;

  @Column({ name: 'strategy_id', type: 'varchar', length: 100, nullable: true })
  strategyId!: string | null;

  @Column({ name: 'entry_price', type: 'numeric', transformer: numericTransformer })
  entryPrice!: number;

  @Column({ name: 'entry_time', type: 'timestamptz' })
  entryTime!: Date;

  @Column({ name: 'peak_price', type: 'numeric', transformer: numericTransformer })
  peakPrice!: number;

  @Column({ name: 'highest_unrealized_pnl_pct', type: 'double precision', default: 0 })
  highestUnrealizedPnlPct!: number;

  @Column({ name: 'trailing_armed', type: 'boolean', default: false })
  trailingArmed!: boolean;

  @Column({ name: 'partial_exits_done', type: 'integer', default: 0 })
  partialExitsDone!: number;

  @Column({ name: 'last_exit_signal_at', type: 'timestamptz', nullable: true })
  lastExitSignalAt!: Date | null;

  @Column({ name: 'last_update_at', type: 'timestamptz' })
  lastUpdateAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

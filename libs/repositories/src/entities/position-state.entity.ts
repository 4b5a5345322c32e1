import { Column, Entity, PrimaryColumn } from 'typeorm';

import { AssetColumn, DefaultNowColumn, NullableTimestampColumn, NumericColumn, StrategyIdColumn, TimestampColumn } from './columns';

/** exit-strategy's persisted memory of one open position. */
@Entity({ name: 'position_states' })
export class PositionStateEntity {
  @PrimaryColumn({ name: 'position_key', type: 'varchar', length: 200 })
  positionKey!: string;

  @Column({ name: 'position_id', type: 'varchar', length: 128 })
  positionId!: string;

  @AssetColumn()
  asset!: string;

  @StrategyIdColumn({ nullable: true })
  strategyId!: string | null;

  @NumericColumn('entry_price')
  entryPrice!: number;

  @TimestampColumn('entry_time')
  entryTime!: Date;

  @NumericColumn('peak_price')
  peakPrice!: number;

  @Column({ name: 'highest_unrealized_pnl_pct', type: 'double precision', default: 0 })
  highestUnrealizedPnlPct!: number;

  @Column({ name: 'trailing_armed', type: 'boolean', default: false })
  trailingArmed!: boolean;

  @Column({ name: 'partial_exits_done', type: 'integer', default: 0 })
  partialExitsDone!: number;

  @NullableTimestampColumn('last_exit_signal_at')
  lastExitSignalAt!: Date | null;

  @TimestampColumn('last_update_at')
  lastUpdateAt!: Date;

  @DefaultNowColumn('updated_at')
  updatedAt!: Date;
}

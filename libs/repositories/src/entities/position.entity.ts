import { Column, Entity } from 'typeorm';

import { AssetColumn, DefaultNowColumn, NullableTimestampColumn, NumericColumn, StrategyIdColumn, UuidPrimaryColumn } from './columns';

/** A position per asset and strategy (owned by position-manager; read here, written by the simulator). */
@Entity({ name: 'positions' })
export class PositionEntity {
  @UuidPrimaryColumn()
  id!: string;

  @AssetColumn()
  asset!: string;

  @StrategyIdColumn({ nullable: true })
  strategyId!: string | null;

  @NumericColumn('size', { default: 0 })
  size!: number;

  @NumericColumn('average_entry_price', { default: 0 })
  averageEntryPrice!: number;

  @NumericColumn('current_price', { default: 0 })
  currentPrice!: number;

  @NumericColumn('unrealized_pnl', { default: 0 })
  unrealizedPnl!: number;

  @Column({ name: 'unrealized_pnl_pct', type: 'double precision', default: 0 })
  unrealizedPnlPct!: number;

  @NumericColumn('realized_pnl', { default: 0 })
  realizedPnl!: number;

  @DefaultNowColumn('opened_at')
  openedAt!: Date;

  @NullableTimestampColumn('closed_at')
  closedAt!: Date | null;

  @DefaultNowColumn('updated_at')
  updatedAt!: Date;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { AssetColumn, DefaultNowColumn, JsonObjectColumn, NullableTimestampColumn, NumericColumn, StrategyIdColumn, TimestampColumn, TraceIdColumn } from './columns';

/** One fill reported by the order manager; `event_id` is unique so redelivery is idempotent. */
@Entity({ name: 'execution_events' })
export class ExecutionEventEntity {
  /** bigserial; PostgreSQL bigint arrives as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'varchar', length: 128, unique: true })
  eventId!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 128 })
  orderId!: string;

  @Column({ name: 'signal_id', type: 'uuid', nullable: true })
  signalId!: string | null;

  @StrategyIdColumn()
  strategyId!: string;

  @AssetColumn()
  asset!: string;

  @Column({ type: 'varchar', length: 10 })
  side!: string;

  @NumericColumn('execution_price')
  executionPrice!: number;

  @NumericColumn('execution_quantity')
  executionQuantity!: number;

  @NumericColumn('execution_fees', { default: 0 })
  executionFees!: number;

  @TimestampColumn('executed_at')
  executedAt!: Date;

  @NumericColumn('signal_price', { nullable: true })
  signalPrice!: number | null;

  @NullableTimestampColumn('signal_timestamp')
  signalTimestamp!: Date | null;

  @JsonObjectColumn('market_conditions')
  marketConditions!: Record<string, unknown>;

  @JsonObjectColumn('performance')
  performance!: Record<string, unknown>;

  /** Copied out of `performance` so SQL can aggregate it. */
  @NumericColumn('realized_pnl', { nullable: true })
  realizedPnl!: number | null;

  @Column({ name: 'return_percent', type: 'double precision', nullable: true })
  returnPercent!: number | null;

  @Column({ name: 'slippage_percent', type: 'double precision', nullable: true })
  slippagePercent!: number | null;

  @Column({ name: 'is_partial_fill', type: 'boolean', default: false })
  isPartialFill!: boolean;

  @TraceIdColumn()
  traceId!: string | null;

  @DefaultNowColumn('received_at')
  receivedAt!: Date;
}

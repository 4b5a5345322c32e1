import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { numericTransformer } from '../database/numeric.transformer';

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

  @Column({ name: 'strategy_id', type: 'varchar', length: 100 })
  strategyId!: string;

  @Column({ type: 'varchar', length: 30 })
  asset!: string;

  @Column({ type: 'varchar', length: 10 })
  side!: string;

  @Column({ name: 'execution_price', type: 'numeric', transformer: numericTransformer })
  executionPrice!: number;

  @Column({ name: 'execution_quantity', type: 'numeric', transformer: numericTransformer })
  executionQuantity!: number;

  @Column({ name: 'execution_fees', type: 'numeric', default: 0, transformer: numericTransformer })
  executionFees!: number;

  @Column({ name: 'executed_at', type: 'timestamptz' })
  executedAt!: Date;

  @Column({ name: 'signal_price', type: 'numeric', nullable: true, transformer: numericTransformer })
  signalPrice!: number | null;

  @Column({ name: 'signal_timestamp', type: 'timestamptz', nullable: true })
  signalTimestamp!: Date | null;

  @Column({ name: 'market_conditions', type: 'jsonb', default: () => "'{}'::jsonb" })
  marketConditions!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  performance!: Record<string, unknown>;

  /** Copied out of `performance` so SQL can aggregate it. */
  @Column({ name: 'realized_pnl', type: 'numeric', nullable: true, transformer: numericTransformer })
  realizedPnl!: number | null;

  @Column({ name: 'return_percent', type: 'double precision', nullable: true })
  returnPercent!: number | null;

  @Column({ name: 'slippage_percent', type: 'double precision', nullable: true })
  slippagePercent!: number | null;

  @Column({ name: 'is_partial_fill', type: 'boolean', default: false })
  isPartialFill!: boolean;

  @Column({ name: 'trace_id', type: 'varchar', length: 128, nullable: true })
  traceId!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}

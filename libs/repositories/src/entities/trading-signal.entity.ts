import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { numericTransformer } from '../database/numeric.transformer';

/** A signal this service published (warm-up, model or exit). */
@Entity({ name: 'trading_signals' })
export class TradingSignalEntity {
  /** bigserial; PostgreSQL bigint arrives as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'signal_id', type: 'uuid', unique: true })
  signalId!: string;

  @Column({ name: 'strategy_id', type: 'varchar', length: 100 })
  strategyId!: string;

  @Column({ type: 'varchar', length: 30 })
  asset!: string;

  @Column({ name: 'signal_type', type: 'varchar', length: 10 })
  signalType!: 'buy' | 'sell';

  /** Quote-currency amount. */
  @Column({ type: 'numeric', transformer: numericTransformer })
  amount!: number;

  @Column({ type: 'double precision' })
  confidence!: number;

  @Column({ type: 'timestamptz' })
  timestamp!: Date;

  @Column({ name: 'model_version', type: 'varchar', length: 128, nullable: true })
  modelVersion!: string | null;

  @Column({ name: 'is_warmup', type: 'boolean', default: false })
  isWarmup!: boolean;

  @Column({ name: 'market_data_snapshot', type: 'jsonb', default: () => "'{}'::jsonb" })
  marketDataSnapshot!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata!: Record<string, unknown>;

  @Column({ name: 'trace_id', type: 'varchar', length: 128, nullable: true })
  traceId!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

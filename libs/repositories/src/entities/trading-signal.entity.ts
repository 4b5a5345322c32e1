import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { AssetColumn, DefaultNowColumn, JsonObjectColumn, NullableTimestampColumn, NumericColumn, StrategyIdColumn, TimestampColumn, TraceIdColumn } from './columns';

/** A signal this service published (warm-up, model or exit). */
@Entity({ name: 'trading_signals' })
export class TradingSignalEntity {
  /** bigserial; PostgreSQL bigint arrives as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'signal_id', type: 'uuid', unique: true })
  signalId!: string;

  @StrategyIdColumn()
  strategyId!: string;

  @AssetColumn()
  asset!: string;

  @Column({ name: 'signal_type', type: 'varchar', length: 10 })
  signalType!: 'buy' | 'sell';

  /** Quote-currency amount. */
  @NumericColumn('amount')
  amount!: number;

  @Column({ type: 'double precision' })
  confidence!: number;

  @TimestampColumn('timestamp')
  timestamp!: Date;

  @Column({ name: 'model_version', type: 'varchar', length: 128, nullable: true })
  modelVersion!: string | null;

  @Column({ name: 'is_warmup', type: 'boolean', default: false })
  isWarmup!: boolean;

  @JsonObjectColumn('market_data_snapshot')
  marketDataSnapshot!: Record<string, unknown>;

  @JsonObjectColumn('metadata')
  metadata!: Record<string, unknown>;

  @TraceIdColumn()
  traceId!: string | null;

  @NullableTimestampColumn('published_at')
  publishedAt!: Date | null;

  @DefaultNowColumn('created_at')
  createdAt!: Date;
}

import { Column, Entity } from 'typeorm';

import { DefaultNowColumn, JsonObjectColumn, StrategyIdColumn, UuidPrimaryColumn } from './columns';

/** Known metric types; others are allowed (the column is free text). */
export type QualityMetricType = 'classification' | 'trading_performance' | 'regression' | 'baseline' | 'live';

/** One measured value of one model version (a time series when measured repeatedly). */
@Entity({ name: 'model_quality_metrics' })
export class QualityMetricEntity {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ name: 'model_version_id', type: 'uuid' })
  modelVersionId!: string;

  @StrategyIdColumn()
  strategyId!: string;

  @Column({ name: 'metric_name', type: 'varchar', length: 100 })
  metricName!: string;

  @Column({ name: 'metric_value', type: 'double precision' })
  metricValue!: number;

  @Column({ name: 'metric_type', type: 'varchar', length: 30 })
  metricType!: string;

  @DefaultNowColumn('evaluated_at')
  evaluatedAt!: Date;

  @Column({ name: 'dataset_size', type: 'integer', nullable: true })
  datasetSize!: number | null;

  @JsonObjectColumn('metadata')
  metadata!: Record<string, unknown>;
}

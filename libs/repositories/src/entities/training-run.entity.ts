import { Column, Entity } from 'typeorm';

import { DefaultNowColumn, JsonObjectColumn, NullableTimestampColumn, StrategyIdColumn, TraceIdColumn, UuidPrimaryColumn } from './columns';

export type TrainingTrigger = 'manual' | 'schedule' | 'data_threshold' | 'quality_degradation' | 'online';
export type TrainingRunStatus = 'queued' | 'running' | 'cancelled' | 'succeeded' | 'failed' | 'skipped';

export interface TrainingProgress {
  epoch?: number;
  epochs?: number;
  loss?: number;
  val_loss?: number;
  val_accuracy?: number;
  eta_seconds?: number;
  [extra: string]: unknown;
}

/** One training job, from queued to its end state. */
@Entity({ name: 'training_runs' })
export class TrainingRunEntity {
  @UuidPrimaryColumn()
  id!: string;

  @StrategyIdColumn()
  strategyId!: string;

  @Column({ type: 'varchar', length: 30 })
  trigger!: TrainingTrigger;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  status!: TrainingRunStatus;

  @Column({ type: 'jsonb', nullable: true })
  progress!: TrainingProgress | null;

  @Column({ name: 'dataset_size', type: 'integer', nullable: true })
  datasetSize!: number | null;

  @Column({ name: 'model_version', type: 'varchar', length: 128, nullable: true })
  modelVersion!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @JsonObjectColumn('config')
  config!: Record<string, unknown>;

  @TraceIdColumn()
  traceId!: string | null;

  @DefaultNowColumn('queued_at')
  queuedAt!: Date;

  @NullableTimestampColumn('started_at')
  startedAt!: Date | null;

  @NullableTimestampColumn('finished_at')
  finishedAt!: Date | null;
}

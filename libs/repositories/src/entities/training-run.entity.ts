import { Column, Entity, PrimaryColumn } from 'typeorm';

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
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ name: 'strategy_id', type: 'varchar', length: 100 })
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

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  config!: Record<string, unknown>;

  @Column({ name: 'trace_id', type: 'varchar', length: 128, nullable: true })
  traceId!: string | null;

  @Column({ name: 'queued_at', type: 'timestamptz', default: () => 'now()' })
  queuedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

import { Column, Entity } from 'typeorm';

import { DefaultNowColumn, JsonObjectColumn, NullableTimestampColumn, StrategyIdColumn, UuidPrimaryColumn } from './columns';

export type ModelVersionStatus = 'candidate' | 'active' | 'retired' | 'rejected' | 'archived';

export const MODEL_VERSION_STATUSES: readonly ModelVersionStatus[] = [
  'candidate',
  'active',
  'retired',
  'rejected',
  'archived',
];

/** One trained model: metadata only; its files live under MODEL_STORAGE_PATH/{version}/. */
@Entity({ name: 'model_versions' })
export class ModelVersionEntity {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ type: 'varchar', length: 128, unique: true })
  version!: string;

  @StrategyIdColumn()
  strategyId!: string;

  @Column({ name: 'model_type', type: 'varchar', length: 50 })
  modelType!: string;

  @Column({ name: 'feature_set_version', type: 'varchar', length: 50 })
  featureSetVersion!: string;

  @Column({ name: 'file_path', type: 'text' })
  filePath!: string;

  @Column({ type: 'varchar', length: 128 })
  checksum!: string;

  @JsonObjectColumn('training_config')
  trainingConfig!: Record<string, unknown>;

  /** Summary of the evaluation (accuracy, f1, baseline, ...); the full set is in model_quality_metrics. */
  @JsonObjectColumn('metrics')
  metrics!: Record<string, unknown>;

  @Column({ name: 'training_dataset_size', type: 'integer', default: 0 })
  trainingDatasetSize!: number;

  @Column({ name: 'training_duration_seconds', type: 'double precision', default: 0 })
  trainingDurationSeconds!: number;

  @Column({ name: 'training_run_id', type: 'uuid', nullable: true })
  trainingRunId!: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: false })
  isActive!: boolean;

  @Column({ type: 'varchar', length: 20, default: 'candidate' })
  status!: ModelVersionStatus;

  @Column({ name: 'parent_version', type: 'varchar', length: 128, nullable: true })
  parentVersion!: string | null;

  @DefaultNowColumn('created_at')
  createdAt!: Date;

  @NullableTimestampColumn('activated_at')
  activatedAt!: Date | null;

  @NullableTimestampColumn('deactivated_at')
  deactivatedAt!: Date | null;

  @NullableTimestampColumn('archived_at')
  archivedAt!: Date | null;
}

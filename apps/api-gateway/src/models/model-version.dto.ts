import { ModelVersionEntity, MODEL_VERSION_STATUSES, QualityMetricEntity } from '@model-service/repositories';
import { ApiProperty } from '@nestjs/swagger';

import { iso, isoRequired } from '../common/iso';

export class QualityMetricDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) model_version_id!: string;
  @ApiProperty() metric_name!: string;
  @ApiProperty() metric_value!: number;
  @ApiProperty({ example: 'classification' }) metric_type!: string;
  @ApiProperty({ format: 'date-time' }) evaluated_at!: string;
  @ApiProperty({ nullable: true, type: Number }) dataset_size!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'the original service\'s name of dataset_size' })
  evaluation_dataset_size!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
}

export class ModelVersionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() version!: string;
  @ApiProperty() strategy_id!: string;
  @ApiProperty() model_type!: string;
  @ApiProperty() feature_set_version!: string;
  @ApiProperty() file_path!: string;
  @ApiProperty() checksum!: string;
  @ApiProperty({ enum: MODEL_VERSION_STATUSES }) status!: string;
  @ApiProperty() is_active!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) training_config!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'evaluation summary (accuracy, f1, baseline, ...)' })
  metrics!: Record<string, unknown>;
  @ApiProperty() training_dataset_size!: number;
  @ApiProperty() training_duration_seconds!: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) training_run_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) parent_version!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) activated_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deactivated_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) archived_at!: string | null;
  @ApiProperty({ format: 'date-time', description: 'when training produced this version (the original\'s field)' }) trained_at!: string;
  @ApiProperty({ description: 'always false: a stored version is a trained model, warm-up runs without one' }) is_warmup_mode!: boolean;
  @ApiProperty({ format: 'date-time', description: 'the latest of created, activated, deactivated, archived' }) updated_at!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the original\'s name of metrics' })
  quality_metrics_summary!: Record<string, unknown>;
}

export class ModelVersionDetailsDto extends ModelVersionDto {
  @ApiProperty({ type: [QualityMetricDto], description: 'the latest value of each (metric_type, metric_name)' })
  quality_metrics!: QualityMetricDto[];
}

export class ModelVersionPageDto {
  @ApiProperty({ type: [ModelVersionDto] }) items!: ModelVersionDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class QualityMetricPageDto {
  @ApiProperty() version!: string;
  @ApiProperty({ type: [QualityMetricDto] }) items!: QualityMetricDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export function presentModelVersion(m: ModelVersionEntity): ModelVersionDto {
  const changes = [m.createdAt, m.activatedAt, m.deactivatedAt, m.archivedAt].filter((d): d is Date => d instanceof Date);
  const updated = new Date(Math.max(...changes.map((d) => d.getTime())));
  return {
    id: m.id,
    version: m.version,
    strategy_id: m.strategyId,
    model_type: m.modelType,
    feature_set_version: m.featureSetVersion,
    file_path: m.filePath,
    checksum: m.checksum,
    status: m.status,
    is_active: m.isActive,
    training_config: m.trainingConfig,
    metrics: m.metrics,
    training_dataset_size: m.trainingDatasetSize,
    training_duration_seconds: m.trainingDurationSeconds,
    training_run_id: m.trainingRunId,
    parent_version: m.parentVersion,
    created_at: isoRequired(m.createdAt),
    activated_at: iso(m.activatedAt),
    deactivated_at: iso(m.deactivatedAt),
    archived_at: iso(m.archivedAt),
    trained_at: isoRequired(m.createdAt),
    is_warmup_mode: false,
    updated_at: isoRequired(updated),
    quality_metrics_summary: m.metrics,
  };
}

export function presentQualityMetric(q: QualityMetricEntity): QualityMetricDto {
  return {
    id: q.id,
    model_version_id: q.modelVersionId,
    metric_name: q.metricName,
    metric_value: q.metricValue,
    metric_type: q.metricType,
    evaluated_at: isoRequired(q.evaluatedAt),
    dataset_size: q.datasetSize,
    evaluation_dataset_size: q.datasetSize,
    metadata: q.metadata,
  };
}

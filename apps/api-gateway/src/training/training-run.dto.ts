import { TrainingRunEntity } from '@model-service/repositories';
import { ApiProperty } from '@nestjs/swagger';

import { iso, isoRequired } from '../common/iso';

export const TRAINING_RUN_STATUSES = ['queued', 'running', 'cancelled', 'succeeded', 'failed', 'skipped'] as const;
export const TRAINING_TRIGGERS = ['manual', 'schedule', 'data_threshold', 'quality_degradation', 'online'] as const;

export class TrainingRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ enum: TRAINING_TRIGGERS }) trigger!: string;
  @ApiProperty({ enum: TRAINING_RUN_STATUSES }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'epoch, epochs, loss, val_loss, val_accuracy, eta_seconds' })
  progress!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Number }) dataset_size!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'the version it produced' }) model_version!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) config!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) trace_id!: string | null;
  @ApiProperty({ format: 'date-time' }) queued_at!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) started_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finished_at!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'finished_at (or now, while running) minus started_at' })
  duration_seconds!: number | null;
}

export class TrainingRunPageDto {
  @ApiProperty({ type: [TrainingRunDto] }) items!: TrainingRunDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export function presentTrainingRun(r: TrainingRunEntity, now: number): TrainingRunDto {
  const started = r.startedAt ? new Date(r.startedAt).getTime() : null;
  const ended = r.finishedAt ? new Date(r.finishedAt).getTime() : r.status === 'running' ? now : null;
  return {
    id: r.id,
    strategy_id: r.strategyId,
    trigger: r.trigger,
    status: r.status,
    progress: r.progress,
    dataset_size: r.datasetSize,
    model_version: r.modelVersion,
    error: r.error,
    config: r.config,
    trace_id: r.traceId,
    queued_at: isoRequired(r.queuedAt),
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
    duration_seconds: started !== null && ended !== null ? Math.max(0, (ended - started) / 1000) : null,
  };
}

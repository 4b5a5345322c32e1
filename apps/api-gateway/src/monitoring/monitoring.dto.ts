import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

import { QualityMetricDto } from '../models/model-version.dto';
import { IsAfterField, OptionalDateTime } from '../common/query-rules';

export class ModelsPerformanceQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100)
  strategy_id?: string;

  @OptionalDateTime('inclusive; default end_time minus 24 h')
  start_time?: Date;

  @OptionalDateTime('exclusive; default now') @IsAfterField('start_time')
  end_time?: Date;
}

export class PerformanceFiguresDto {
  @ApiProperty() total_orders!: number;
  @ApiProperty() successful_orders!: number;
  @ApiProperty() closed_orders!: number;
  @ApiProperty() success_rate!: number;
  @ApiProperty() win_rate!: number;
  @ApiProperty() total_pnl!: number;
  @ApiProperty({ nullable: true, type: Number }) avg_pnl!: number | null;
}

export class ModelPerformanceDto {
  @ApiProperty() strategy_id!: string;
  @ApiProperty() version!: string;
  @ApiProperty() model_type!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) activated_at!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'evaluation summary stored with the version' })
  evaluation!: Record<string, unknown>;
  @ApiProperty({ type: [QualityMetricDto], description: 'latest value of each quality metric (live ones included)' })
  latest_quality_metrics!: QualityMetricDto[];
  @ApiProperty({ type: PerformanceFiguresDto, description: "executions of this version's own signals in the window" })
  model_signals!: PerformanceFiguresDto;
  @ApiProperty({ type: PerformanceFiguresDto, description: "all the strategy's executions in the window (warm-up and exits too)" })
  strategy!: PerformanceFiguresDto;
}

export class ModelsPerformanceDto {
  @ApiProperty({ format: 'date-time' }) start_time!: string;
  @ApiProperty({ format: 'date-time' }) end_time!: string;
  @ApiProperty({ type: [ModelPerformanceDto], description: 'one item per active model' }) items!: ModelPerformanceDto[];
  @ApiProperty() active_models_count!: number;
  @ApiProperty({ description: 'every stored version, archived ones included' }) total_models_count!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'versions per strategy' })
  models_by_strategy!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'versions per model type' })
  models_by_type!: Record<string, number>;
}

export class MonitoringHealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'dependency checks (database, message_queue)' })
  checks!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) model_storage!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'active models and strategies per mode' })
  models!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) training!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'signal and execution flow in the last hour' })
  activity!: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String], description: 'human-readable warnings (stale signals, failed last training, ...)' })
  warnings!: string[];
  // The original service's flat fields.
  @ApiProperty() database_connected!: boolean;
  @ApiProperty() message_queue_connected!: boolean;
  @ApiProperty() model_storage_accessible!: boolean;
  @ApiProperty({ description: 'how many strategies have an active model' }) active_models!: number;
  @ApiProperty({ description: 'WARMUP_MODE_ENABLED (signal-generator\'s setting, read from the same environment)' }) warmup_mode_enabled!: boolean;
}

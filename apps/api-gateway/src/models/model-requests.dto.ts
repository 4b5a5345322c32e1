import { GRANULARITIES, Granularity, MODEL_VERSION_STATUSES, ModelVersionStatus } from '@model-service/repositories';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

import { PaginationQuery } from '../common/pagination.query';
import { IsAfterField, OptionalDateTime, OptionalReason, PATH_ID, ToBoolean, ToStringList } from '../common/query-rules';

export class VersionParams {
  @ApiProperty({ description: 'model version, e.g. momentum-btc-20260101T000000' })
  @Matches(PATH_ID, { message: 'version must be 1-100 printable characters without spaces or slashes' })
  version!: string;
}

export class ListModelsQuery extends PaginationQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100)
  strategy_id?: string;

  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @ToBoolean() @IsBoolean({ message: 'is_active must be true or false' })
  is_active?: boolean;

  @ApiPropertyOptional({ enum: MODEL_VERSION_STATUSES })
  @IsOptional() @IsIn(MODEL_VERSION_STATUSES, { message: `status must be one of: ${MODEL_VERSION_STATUSES.join(', ')}` })
  status?: ModelVersionStatus;
}

export class ModelMetricsQuery extends PaginationQuery {
  @ApiPropertyOptional({ example: 'classification' }) @IsOptional() @IsString() @Length(1, 30)
  metric_type?: string;

  @ApiPropertyOptional({ example: 'accuracy' }) @IsOptional() @IsString() @Length(1, 100)
  metric_name?: string;
}

/** ?granularity=hour|day|week&start_time&end_time (defaults: hour, the last 7 days). */
export class TimeSeriesQuery {
  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'hour' })
  @IsOptional() @IsIn(GRANULARITIES, { message: `granularity must be one of: ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;

  @OptionalDateTime('inclusive; default end_time minus 7 days')
  start_time?: Date;

  @OptionalDateTime('exclusive; default now') @IsAfterField('start_time')
  end_time?: Date;
}

export class MetricTimeSeriesQuery extends TimeSeriesQuery {
  @ApiPropertyOptional({ description: 'comma-separated metric names; all when omitted', example: 'accuracy,f1' })
  @IsOptional() @ToStringList() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true })
  metric_names?: string[];
}

export class ActivateModelBody {
  @ApiPropertyOptional({ description: "the strategy to activate it for; default (and only allowed value): the version's own strategy" })
  @IsOptional() @IsString() @Length(1, 100)
  strategy_id?: string;

  @OptionalReason('why (logged and sent in the event metadata)')
  reason?: string;
}

export class RollbackModelBody {
  @OptionalReason('why (logged and sent in the event metadata)')
  reason?: string;
}

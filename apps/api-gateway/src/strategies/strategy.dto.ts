import { GRANULARITIES } from '@model-service/repositories';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';

import { PATH_ID } from '../common/query-rules';

export class StrategyParams {
  @ApiProperty({ example: 'momentum-btc' })
  @Matches(PATH_ID, { message: 'strategy_id must be 1-100 printable characters without spaces or slashes' })
  strategy_id!: string;
}

class ActiveModelDto {
  @ApiProperty() version!: string;
  @ApiProperty() model_type!: string;
  @ApiProperty() feature_set_version!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) activated_at!: string | null;
}

class SignalActivityDto {
  @ApiProperty({ description: 'signals in the last 24 h' }) signals_24h!: number;
  @ApiProperty() buy_24h!: number;
  @ApiProperty() sell_24h!: number;
  @ApiProperty() warmup_24h!: number;
  @ApiProperty() model_24h!: number;
  @ApiProperty({ nullable: true, type: Boolean, description: 'whether the newest signal was a warm-up one' })
  last_signal_is_warmup!: boolean | null;
  @ApiProperty({ nullable: true, type: String }) last_signal_model_version!: string | null;
}

class SkipCountsDto {
  @ApiProperty({ description: 'signal-generator-metrics, or unavailable' }) source!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'skips since the signal-generator started; null when unknown' })
  total!: number | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'number' }, description: 'reason -> count' })
  by_reason!: Record<string, number> | null;
  @ApiPropertyOptional() error?: string;
}

class WarmupClockDto {
  @ApiProperty({ format: 'date-time', description: 'when the strategy first started (warm-up counts from here)' }) started_at!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'WARMUP_MAX_DURATION_SECONDS in force; null = unlimited' })
  max_duration_seconds!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) ends_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'when the limit passed with no promoted model' })
  expired_at!: string | null;
  @ApiProperty({ description: 'true: no model and warm-up over, so the strategy emits no signals' }) expired!: boolean;
}

export class StrategyDto {
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ enum: ['model', 'warmup'], description: 'model when the strategy has an active model version, else warmup' })
  mode!: 'model' | 'warmup';
  @ApiProperty({ type: ActiveModelDto, nullable: true }) active_model!: ActiveModelDto | null;
  @ApiProperty({ type: WarmupClockDto, nullable: true, description: 'warm-up clock kept by signal-generator (null before it ran)' })
  warmup!: WarmupClockDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_signal_at!: string | null;
  @ApiProperty({ type: SignalActivityDto }) signals!: SignalActivityDto;
  @ApiProperty({ type: SkipCountsDto }) skip_counts!: SkipCountsDto;
}

export class StrategyListDto {
  @ApiProperty({ type: [StrategyDto] }) items!: StrategyDto[];
  @ApiProperty() total!: number;
}

class PerformanceBucketDto {
  @ApiProperty({ format: 'date-time', description: 'start of the bucket (UTC)' }) timestamp!: string;
  @ApiProperty({ description: 'successful_orders / total_orders' }) success_rate!: number;
  @ApiProperty() total_pnl!: number;
  @ApiProperty({ nullable: true, type: Number }) avg_pnl!: number | null;
  @ApiProperty() total_orders!: number;
  @ApiProperty({ description: 'fills with realized PnL > 0' }) successful_orders!: number;
  @ApiProperty({ description: 'fills that carry a realized PnL' }) closed_orders!: number;
  @ApiProperty({ description: 'successful_orders / closed_orders' }) win_rate!: number;
}

export class PerformanceTimeSeriesDto {
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ enum: GRANULARITIES }) granularity!: string;
  @ApiProperty({ format: 'date-time' }) start_time!: string;
  @ApiProperty({ format: 'date-time' }) end_time!: string;
  @ApiProperty({ type: [PerformanceBucketDto], description: 'buckets with executions, ascending' }) items!: PerformanceBucketDto[];
  @ApiProperty({ type: [PerformanceBucketDto], description: 'the same buckets under the original service\'s name' })
  data_points!: PerformanceBucketDto[];
}

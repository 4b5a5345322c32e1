import { GRANULARITIES } from '@model-service/repositories';
import { ApiProperty } from '@nestjs/swagger';

export class AppHealthDto {
  @ApiProperty({ example: 'trainer' }) service!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the /health URL asked (null: the gateway itself, or no URL configured)' })
  url!: string | null;
  @ApiProperty({ enum: ['ok', 'degraded', 'unreachable', 'not_configured'] }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) http_status!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: ['up', 'down'] }, description: 'dependency checks' })
  checks!: Record<string, 'up' | 'down'>;
  @ApiProperty({ nullable: true, type: Number }) response_ms!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'why unreachable or not configured' }) error!: string | null;
}

export class AppsHealthDto {
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ type: [AppHealthDto], description: 'api-gateway first, then signal-generator, trainer, exit-strategy' })
  items!: AppHealthDto[];
}

class DeadLetterDepthDto {
  @ApiProperty({ example: 'order-manager.order_events' }) queue!: string;
  @ApiProperty({ example: 'order-manager.order_events.dlq' }) dead_letter_queue!: string;
  @ApiProperty({ description: 'false until the consuming app declared it' }) exists!: boolean;
  @ApiProperty() messages!: number;
}

export class DeadLetterDepthsDto {
  @ApiProperty({ format: 'date-time', description: 'when the broker was asked (answers are reused for 5 s)' }) checked_at!: string;
  @ApiProperty({ type: [DeadLetterDepthDto] }) items!: DeadLetterDepthDto[];
  @ApiProperty() total_messages!: number;
}

class SignalCountDto {
  @ApiProperty({ format: 'date-time', description: 'start of the UTC bucket' }) timestamp!: string;
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ enum: ['warmup', 'model', 'exit'], description: 'exit: metadata.exit_reason is set; else by is_warmup' }) mode!: string;
  @ApiProperty() count!: number;
}

export class SignalTimeSeriesDto {
  @ApiProperty({ enum: GRANULARITIES }) granularity!: string;
  @ApiProperty({ format: 'date-time' }) start_time!: string;
  @ApiProperty({ format: 'date-time' }) end_time!: string;
  @ApiProperty({ type: [SignalCountDto], description: 'non-empty (bucket, strategy, mode) cells, ascending by time' }) items!: SignalCountDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'signals in the window per mode' })
  totals_by_mode!: Record<string, number>;
}

class ExitReasonDto {
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ example: 'take_profit' }) exit_reason!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ format: 'date-time' }) last_at!: string;
}

export class ExitsByReasonDto {
  @ApiProperty({ format: 'date-time' }) start_time!: string;
  @ApiProperty({ format: 'date-time' }) end_time!: string;
  @ApiProperty({ type: [ExitReasonDto], description: 'per strategy and exit rule, most frequent first' }) items!: ExitReasonDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'exits per rule over every strategy' })
  by_reason!: Record<string, number>;
  @ApiProperty() total!: number;
}

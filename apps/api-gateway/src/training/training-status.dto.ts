import { TRAINING_COMMAND_TYPES } from '@model-service/signals';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { TrainingRunDto } from './training-run.dto';

export class TrainingStatusDto {
  @ApiProperty({ nullable: true, type: String, description: 'the strategy asked about (null: all)' }) strategy_id!: string | null;
  @ApiProperty({ description: 'a run is queued or running' }) is_training!: boolean;
  @ApiProperty({ type: TrainingRunDto, nullable: true, description: 'the running run (else the oldest queued one)' })
  current_training!: TrainingRunDto | null;
  @ApiProperty({ description: 'runs queued or running' }) active_runs!: number;
  @ApiProperty({ type: TrainingRunDto, nullable: true, description: 'the run that finished last' }) last_training!: TrainingRunDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'next firing of MODEL_RETRAINING_SCHEDULE (UTC)' })
  next_scheduled_training!: string | null;
  @ApiProperty({ description: 'executions received since the last successful run started (all, when none has succeeded)' })
  buffered_events_count!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) buffered_events_since!: string | null;
}

class TrainingCommandDto {
  @ApiProperty({ enum: TRAINING_COMMAND_TYPES }) command!: string;
  @ApiProperty() strategy_id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) reason?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requested_by?: string | null;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) trace_id?: string | null;
}

export class CommandAcceptedDto {
  @ApiProperty({ example: 'accepted' }) status!: 'accepted';
  @ApiProperty({ description: 'queue the command was sent to' }) queue!: string;
  @ApiProperty({ type: TrainingCommandDto }) command!: TrainingCommandDto;
  @ApiProperty({ description: 'runs of the strategy queued or running when the command was sent' }) active_runs!: number;
}

/** A training trigger's answer: the original service's fields (`triggered`, `message`, `strategy_id`) and the command sent. */
export class TrainingTriggeredDto extends CommandAcceptedDto {
  @ApiProperty() triggered!: boolean;
  @ApiProperty({ example: 'Training triggered successfully' }) message!: string;
  @ApiProperty() strategy_id!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';

import { PaginationQuery } from '../common/pagination.query';
import { OptionalReason } from '../common/query-rules';
import { TRAINING_RUN_STATUSES, TRAINING_TRIGGERS } from './training-run.dto';

export class TrainingStatusQuery {
  @ApiPropertyOptional({ description: 'only this strategy (default: all strategies)' })
  @IsOptional() @IsString() @Length(1, 100)
  strategy_id?: string;
}

export class TrainingCommandBody {
  @ApiProperty({ example: 'momentum-btc' }) @IsString() @Length(1, 100)
  strategy_id!: string;

  @OptionalReason('why (sent to the trainer and logged)')
  reason?: string;
}

export class CancelRunBody {
  @OptionalReason('why (sent to the trainer and logged)')
  reason?: string;
}

export class ListTrainingRunsQuery extends PaginationQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100)
  strategy_id?: string;

  @ApiPropertyOptional({ enum: TRAINING_RUN_STATUSES })
  @IsOptional() @IsIn(TRAINING_RUN_STATUSES, { message: `status must be one of: ${TRAINING_RUN_STATUSES.join(', ')}` })
  status?: (typeof TRAINING_RUN_STATUSES)[number];

  @ApiPropertyOptional({ enum: TRAINING_TRIGGERS })
  @IsOptional() @IsIn(TRAINING_TRIGGERS, { message: `trigger must be one of: ${TRAINING_TRIGGERS.join(', ')}` })
  trigger?: (typeof TRAINING_TRIGGERS)[number];
}

export class RunIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

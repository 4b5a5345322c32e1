import { SIGNAL_TYPES, SignalType } from '@model-service/signals';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

import { PaginationQuery } from '../common/pagination.query';
import { IsAfterField, OptionalDateTime, ToBoolean } from '../common/query-rules';

export class ListSignalsQuery extends PaginationQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100)
  strategy_id?: string;

  @ApiPropertyOptional({ example: 'BTCUSDT' })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9]{2,20}$/, { message: 'asset must be a trading pair such as BTCUSDT' })
  asset?: string;

  @ApiPropertyOptional({ enum: SIGNAL_TYPES })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsIn(SIGNAL_TYPES, { message: `signal_type must be one of: ${SIGNAL_TYPES.join(', ')}` })
  signal_type?: SignalType;

  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @ToBoolean() @IsBoolean({ message: 'is_warmup must be true or false' })
  is_warmup?: boolean;

  @OptionalDateTime('inclusive')
  start_time?: Date;

  @OptionalDateTime('inclusive') @IsAfterField('start_time')
  end_time?: Date;
}

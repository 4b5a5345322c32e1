import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

import { IsAfterField, OptionalDateTime, PATH_ID } from '../common/query-rules';

/** ?strategy_id&start_time&end_time (default: every strategy, the longest window allowed up to now). */
export class ModeComparisonQuery {
  @ApiPropertyOptional({ description: 'one strategy; default every strategy with executions in the window', example: 'momentum-btc' })
  @IsOptional() @Matches(PATH_ID, { message: 'strategy_id must be 1-100 printable characters without spaces or slashes' })
  strategy_id?: string;

  @OptionalDateTime('signal time, inclusive; default end_time minus MODEL_SERVICE_API_MAX_WINDOW_DAYS')
  start_time?: Date;

  @OptionalDateTime('signal time, exclusive; default now') @IsAfterField('start_time')
  end_time?: Date;
}

/** Outcomes of one mode's entries; every figure is null when n is 0 (and the mean's bounds when n is 1). */
export class ModeOutcomeDto {
  @ApiProperty({ description: 'labelled entries: executed decisions with a price at least the label horizon after them' })
  n!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'share of entries whose net return beat MODEL_TRAINING_MIN_RETURN (0..1)' })
  win_rate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'lower bound of the 95 % Wilson interval of win_rate' })
  win_rate_low!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'upper bound of the 95 % Wilson interval of win_rate' })
  win_rate_high!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'mean net return, a fraction of the entry notional (0.002 = +0.2 %), after entry and exit fees' })
  mean_net_return!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'lower bound of the 95 % interval of mean_net_return (mean - 1.96 standard errors)' })
  mean_net_return_low!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'upper bound of the 95 % interval of mean_net_return (mean + 1.96 standard errors)' })
  mean_net_return_high!: number | null;
}

/** model.mean_net_return − warmup.mean_net_return with its 95 % interval. */
export class ReturnDifferenceDto {
  @ApiProperty({ description: 'model minus warm-up mean net return (fraction)' }) difference!: number;
  @ApiProperty({ description: 'lower bound of its 95 % interval (Welch, normal approximation)' }) low!: number;
  @ApiProperty({ description: 'upper bound of its 95 % interval; below 0 = model mode earns less than warm-up beyond noise' }) high!: number;
}

export class StrategyModeComparisonDto {
  @ApiProperty() strategy_id!: string;
  @ApiProperty({ type: ModeOutcomeDto, description: "entries of model-mode signals (any of the strategy's model versions)" })
  model!: ModeOutcomeDto;
  @ApiProperty({ type: ModeOutcomeDto, description: 'entries of warm-up signals' })
  warmup!: ModeOutcomeDto;
  @ApiProperty({ type: ReturnDifferenceDto, nullable: true, description: 'null unless both modes have at least two labelled entries' })
  mean_net_return_difference!: ReturnDifferenceDto | null;
}

class LabelSettingsDto {
  @ApiProperty({ description: 'MODEL_TRAINING_LABEL_HORIZON_SECONDS: each entry is marked to market this long after its execution' })
  horizon_seconds!: number;
  @ApiProperty({ description: 'MODEL_TRAINING_EXIT_FEE_RATE: fee assumed on the closing trade' }) exit_fee_rate!: number;
  @ApiProperty({ description: 'MODEL_TRAINING_MIN_RETURN: net return above which an entry is a win' }) min_return!: number;
}

export class ModeComparisonDto {
  @ApiProperty({ format: 'date-time', description: 'window start (signal time, inclusive)' }) start_time!: string;
  @ApiProperty({ format: 'date-time', description: 'window end (signal time, exclusive)' }) end_time!: string;
  @ApiProperty({ type: LabelSettingsDto, description: "the trainer's label, applied to every entry" }) label!: LabelSettingsDto;
  @ApiProperty({ description: 'executions read (entries of both modes plus exit-strategy closes, whose prices help label the entries)' })
  executions_read!: number;
  @ApiProperty({
    description: 'true when the window held more executions than one request reads (the newest were used); ask for a shorter window',
  })
  truncated!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'signal time of the oldest execution read (null when none)' })
  data_start!: string | null;
  @ApiProperty({ type: [StrategyModeComparisonDto], description: 'per strategy, sorted by strategy_id' }) items!: StrategyModeComparisonDto[];
}

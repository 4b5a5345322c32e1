import { Param, Query } from '@nestjs/common';

import { ApiV1Controller, DocumentedGet } from '../http/api-docs.decorators';
import { TimeSeriesQuery } from '../models/model-requests.dto';
import { ModeComparisonDto, ModeComparisonQuery } from './mode-comparison.dto';
import { ModeComparisonService } from './mode-comparison.service';
import { StrategiesService } from './strategies.service';
import { PerformanceTimeSeriesDto, StrategyListDto, StrategyParams } from './strategy.dto';

@ApiV1Controller('strategies')
export class StrategiesController {
  constructor(
    private readonly strategies: StrategiesService,
    private readonly modes: ModeComparisonService,
  ) {}

  @DocumentedGet('', StrategyListDto, {
    summary: "Every known strategy: mode, active model, last signal time, signal activity and skip counts",
    description:
      'Strategies are those seen in signals, executions, training runs or model versions. Skip counts come from ' +
      "the signal-generator's /metrics when SIGNAL_GENERATOR_URL is set (else source is unavailable).",
  })
  list(): Promise<StrategyListDto> {
    return this.strategies.list();
  }

  @DocumentedGet('performance/by-mode', ModeComparisonDto, {
    summary: 'Per strategy: model-mode entries against warm-up entries (n, win rate, mean net return, 95 % intervals)',
    description:
      "Every executed entry whose signal falls in the window is labelled as the trainer labels its rows: the price move " +
      'over MODEL_TRAINING_LABEL_HORIZON_SECONDS after execution in the side\'s direction, net of the entry fee and an ' +
      'exit fee, the later price taken from the same strategy\'s executions in the window (so entries within the ' +
      'horizon of end_time are usually not labelled yet). Win rate intervals are Wilson, mean intervals ±1.96 standard ' +
      'errors; mean_net_return_difference is model minus warm-up. The window defaults to the longest allowed ' +
      '(MODEL_SERVICE_API_MAX_WINDOW_DAYS) up to now; at most the newest 50,000 executions are read (truncated and data_start say so).',
  })
  byMode(@Query() query: ModeComparisonQuery): Promise<ModeComparisonDto> {
    return this.modes.compare(query);
  }

  @DocumentedGet(':strategy_id/performance/time-series', PerformanceTimeSeriesDto, "A strategy's execution performance per hour, day or week (default: hourly, last 7 days)")
  performance(@Param() params: StrategyParams, @Query() query: TimeSeriesQuery): Promise<PerformanceTimeSeriesDto> {
    return this.strategies.performanceTimeSeries(params.strategy_id, query);
  }
}

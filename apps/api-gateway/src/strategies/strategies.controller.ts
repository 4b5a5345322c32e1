import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiProtected } from '../http/api-docs.decorators';
import { TimeSeriesQuery } from '../models/model-requests.dto';
import { StrategiesService } from './strategies.service';
import { PerformanceTimeSeriesDto, StrategyListDto, StrategyParams } from './strategy.dto';

@ApiTags('strategies')
@ApiProtected()
@Controller('api/v1/strategies')
export class StrategiesController {
  constructor(private readonly strategies: StrategiesService) {}

  @Get()
  @ApiOperation({
    summary: "Every known strategy: mode, active model, last signal time, signal activity and skip counts",
    description:
      'Strategies are those seen in signals, executions, training runs or model versions. Skip counts come from ' +
      "the signal-generator's /metrics when SIGNAL_GENERATOR_URL is set (else source is unavailable).",
  })
  @ApiOkResponse({ type: StrategyListDto })
  list(): Promise<StrategyListDto> {
    return this.strategies.list();
  }

  @Get(':strategy_id/performance/time-series')
  @ApiOperation({ summary: "A strategy's execution performance per hour, day or week (default: hourly, last 7 days)" })
  @ApiOkResponse({ type: PerformanceTimeSeriesDto })
  performance(@Param() params: StrategyParams, @Query() query: TimeSeriesQuery): Promise<PerformanceTimeSeriesDto> {
    return this.strategies.performanceTimeSeries(params.strategy_id, query);
  }
}

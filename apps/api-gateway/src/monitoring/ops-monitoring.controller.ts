import { Logger } from '@model-service/util';
import { HttpException, HttpStatus, Query } from '@nestjs/common';
import { ApiServiceUnavailableResponse } from '@nestjs/swagger';

import { ApiV1Controller, DocumentedGet } from '../http/api-docs.decorators';
import { errorBody } from '../http/api-error';
import { ApiErrorDto } from '../http/api-error.dto';
import { TimeSeriesQuery } from '../models/model-requests.dto';
import { AppsHealthSource } from './apps-health.source';
import { DeadLetterDepthsSource } from './dead-letter-depths.source';
import { ModelsPerformanceQuery } from './monitoring.dto';
import { AppsHealthDto, DeadLetterDepthsDto, ExitsByReasonDto, SignalTimeSeriesDto } from './ops.dto';
import { SignalFlowService } from './signal-flow.service';

/** The operator views the ops dashboard draws that no other endpoint answers: every app's health, DLQs, signal flow, exits. */
@ApiV1Controller('monitoring')
export class OpsMonitoringController {
  private readonly log = new Logger('OpsMonitoringController');

  constructor(
    private readonly apps: AppsHealthSource,
    private readonly deadLetters: DeadLetterDepthsSource,
    private readonly flow: SignalFlowService,
  ) {}

  @DocumentedGet('services', AppsHealthDto, {
    summary: "Every app's health: the gateway's own, and the /health of signal-generator, trainer and exit-strategy",
    description: 'The others are asked at SIGNAL_GENERATOR_URL, TRAINER_URL and EXIT_STRATEGY_URL (3 s timeout); without a URL an app is not_configured.',
  })
  async services(): Promise<AppsHealthDto> {
    return { timestamp: new Date().toISOString(), items: await this.apps.read() };
  }

  @DocumentedGet('dead-letter-queues', DeadLetterDepthsDto, "Depth of every consumed queue's dead-letter queue (as `npm run dlq -- list`)")
  @ApiServiceUnavailableResponse({ type: ApiErrorDto, description: 'the broker cannot be reached' })
  async deadLetterQueues(): Promise<DeadLetterDepthsDto> {
    try {
      return await this.deadLetters.read();
    } catch (err) {
      this.log.warn('cannot read dead-letter queue depths', { error: err instanceof Error ? err.message : String(err) });
      throw new HttpException(
        errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the message broker cannot be reached to read dead-letter queue depths; retry later'),
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
  }

  @DocumentedGet('signals/time-series', SignalTimeSeriesDto, 'Signals per strategy and mode (warmup, model, exit) per hour, day or week (default: hourly, last 24 h)')
  signalTimeSeries(@Query() query: TimeSeriesQuery): Promise<SignalTimeSeriesDto> {
    return this.flow.signalTimeSeries(query);
  }

  @DocumentedGet('exits', ExitsByReasonDto, 'Exit signals per strategy and exit rule over a window (default: the last 24 h)')
  exits(@Query() query: ModelsPerformanceQuery): Promise<ExitsByReasonDto> {
    return this.flow.exitsByReason(query);
  }
}

import { Body, Param, Query, Req } from '@nestjs/common';
import { ApiConflictResponse } from '@nestjs/swagger';

import { ApiNotFound, ApiV1Controller, DocumentedGet, DocumentedPost } from '../http/api-docs.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { ApiRequest } from '../http/api-request';
import { CancelRunBody, ListTrainingRunsQuery, RunIdParams, TrainingCommandBody, TrainingStatusQuery } from './training-requests.dto';
import { TrainingRunDto, TrainingRunPageDto } from './training-run.dto';
import { CommandAcceptedDto, TrainingStatusDto, TrainingTriggeredDto } from './training-status.dto';
import { TrainingService } from './training.service';

@ApiV1Controller('training')
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  @DocumentedGet('status', TrainingStatusDto, 'Whether training runs now, the last run, the next scheduled one, and executions waiting for training')
  status(@Query() query: TrainingStatusQuery): Promise<TrainingStatusDto> {
    return this.training.status(query.strategy_id);
  }

  @DocumentedPost('trigger', 202, TrainingTriggeredDto, "Ask the trainer to train a strategy's model now (a running job of the strategy is cancelled and restarted)")
  async trigger(@Body() body: TrainingCommandBody, @Req() req: ApiRequest): Promise<TrainingTriggeredDto> {
    const accepted = await this.training.trigger(body.strategy_id, body.reason, req.apiKeyId ?? 'anonymous');
    return { ...accepted, triggered: true, message: 'Training triggered successfully', strategy_id: body.strategy_id };
  }

  @DocumentedPost('cancel', 202, CommandAcceptedDto, "Ask the trainer to cancel a strategy's queued or running training")
  cancel(@Body() body: TrainingCommandBody, @Req() req: ApiRequest): Promise<CommandAcceptedDto> {
    return this.training.cancel(body.strategy_id, body.reason, req.apiKeyId ?? 'anonymous');
  }

  @DocumentedGet('runs', TrainingRunPageDto, 'Training runs, newest first')
  list(@Query() query: ListTrainingRunsQuery): Promise<TrainingRunPageDto> {
    return this.training.list(query);
  }

  @DocumentedGet('runs/:id', TrainingRunDto, 'One training run')
  @ApiNotFound('training run')
  get(@Param() params: RunIdParams): Promise<TrainingRunDto> {
    return this.training.get(params.id);
  }

  @DocumentedPost('runs/:id/cancel', 202, CommandAcceptedDto, "Cancel a queued or running training run (sends a cancel command for the run's strategy)")
  @ApiNotFound('training run')
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the run already ended' })
  cancelRun(@Param() params: RunIdParams, @Body() body: CancelRunBody, @Req() req: ApiRequest): Promise<CommandAcceptedDto> {
    return this.training.cancelRun(params.id, body.reason, req.apiKeyId ?? 'anonymous');
  }
}

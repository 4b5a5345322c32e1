import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiNotFound, ApiProtected } from '../http/api-docs.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { ApiRequest } from '../http/api-request';
import { CancelRunBody, ListTrainingRunsQuery, RunIdParams, TrainingCommandBody, TrainingStatusQuery } from './training-requests.dto';
import { TrainingRunDto, TrainingRunPageDto } from './training-run.dto';
import { CommandAcceptedDto, TrainingStatusDto, TrainingTriggeredDto } from './training-status.dto';
import { TrainingService } from './training.service';

@ApiTags('training')
@ApiProtected()
@Controller('api/v1/training')
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  @Get('status')
  @ApiOperation({ summary: 'Whether training runs now, the last run, the next scheduled one, and executions waiting for training' })
  @ApiOkResponse({ type: TrainingStatusDto })
  status(@Query() query: TrainingStatusQuery): Promise<TrainingStatusDto> {
    return this.training.status(query.strategy_id);
  }

  @Post('trigger')
  @HttpCode(202)
  @ApiOperation({ summary: "Ask the trainer to train a strategy's model now (a running job of the strategy is cancelled and restarted)" })
  @ApiAcceptedResponse({ type: TrainingTriggeredDto })
  async trigger(@Body() body: TrainingCommandBody, @Req() req: ApiRequest): Promise<TrainingTriggeredDto> {
    const accepted = await this.training.trigger(body.strategy_id, body.reason, req.apiKeyId ?? 'anonymous');
    return { ...accepted, triggered: true, message: 'Training triggered successfully', strategy_id: body.strategy_id };
  }

  @Post('cancel')
  @HttpCode(202)
  @ApiOperation({ summary: "Ask the trainer to cancel a strategy's queued or running training" })
  @ApiAcceptedResponse({ type: CommandAcceptedDto })
  cancel(@Body() body: TrainingCommandBody, @Req() req: ApiRequest): Promise<CommandAcceptedDto> {
    return this.training.cancel(body.strategy_id, body.reason, req.apiKeyId ?? 'anonymous');
  }

  @Get('runs')
  @ApiOperation({ summary: 'Training runs, newest first' })
  @ApiOkResponse({ type: TrainingRunPageDto })
  list(@Query() query: ListTrainingRunsQuery): Promise<TrainingRunPageDto> {
    return this.training.list(query);
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'One training run' })
  @ApiOkResponse({ type: TrainingRunDto })
  @ApiNotFound('training run')
  get(@Param() params: RunIdParams): Promise<TrainingRunDto> {
    return this.training.get(params.id);
  }

  @Post('runs/:id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: "Cancel a queued or running training run (sends a cancel command for the run's strategy)" })
  @ApiAcceptedResponse({ type: CommandAcceptedDto })
  @ApiNotFound('training run')
  @ApiConflictResponse({ type: ApiErrorDto, description: 'the run already ended' })
  cancelRun(@Param() params: RunIdParams, @Body() body: CancelRunBody, @Req() req: ApiRequest): Promise<CommandAcceptedDto> {
    return this.training.cancelRun(params.id, body.reason, req.apiKeyId ?? 'anonymous');
  }
}

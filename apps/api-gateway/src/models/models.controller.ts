import { Body, Param, Query, Req, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';

import { Response } from 'express';

import { setPagingHeaders } from '../common/paging-headers';
import { ApiNotFound, ApiV1Controller, DocumentedGet, DocumentedPost } from '../http/api-docs.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { ApiRequest } from '../http/api-request';
import {
  ActivateModelBody,
  ListModelsQuery,
  MetricTimeSeriesQuery,
  ModelMetricsQuery,
  RollbackModelBody,
  VersionParams,
} from './model-requests.dto';
import { MetricTimeSeriesDto } from './model-time-series.dto';
import { ModelVersionDetailsDto, ModelVersionPageDto, QualityMetricDto } from './model-version.dto';
import { ModelSwitchDto } from './model-switch.dto';
import { ModelsService } from './models.service';

@ApiV1Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @DocumentedGet('', ModelVersionPageDto, 'List model versions, newest first')
  list(@Query() query: ListModelsQuery): Promise<ModelVersionPageDto> {
    return this.models.list(query);
  }

  @DocumentedGet(':version', ModelVersionDetailsDto, 'One model version with the latest value of each quality metric')
  @ApiNotFound('model version')
  details(@Param() params: VersionParams): Promise<ModelVersionDetailsDto> {
    return this.models.details(params.version);
  }

  @DocumentedGet(':version/metrics', [QualityMetricDto], {
    summary: "A model version's quality metrics, newest first",
    description: 'An array, as the original service answered; paging in X-Total-Count, X-Limit, X-Offset and Link headers.',
  })
  @ApiNotFound('model version')
  async metrics(
    @Param() params: VersionParams,
    @Query() query: ModelMetricsQuery,
    @Req() req: ApiRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<QualityMetricDto[]> {
    const page = await this.models.metricsOf(params.version, query);
    setPagingHeaders(req, res, page);
    return page.items;
  }

  @DocumentedGet(':version/metrics/time-series', MetricTimeSeriesDto, "A model version's quality metrics aggregated per hour, day or week (default: hourly, last 7 days)")
  @ApiNotFound('model version')
  timeSeries(@Param() params: VersionParams, @Query() query: MetricTimeSeriesQuery): Promise<MetricTimeSeriesDto> {
    return this.models.metricTimeSeries(params.version, query);
  }

  @DocumentedPost(':version/activate', 200, ModelSwitchDto, {
    summary: 'Make this version its strategy\'s one active model',
    description: 'Switches in the database (atomically, one active version per strategy), then publishes model_activated so every signal-generator switches.',
  })
  @ApiNotFound('model version')
  @ApiConflictResponse({ type: ApiErrorDto, description: 'another strategy\'s version, archived, or its files are missing' })
  @ApiServiceUnavailableResponse({ type: ApiErrorDto, description: 'switched, but the event could not be published: retry' })
  activate(@Param() params: VersionParams, @Body() body: ActivateModelBody, @Req() req: ApiRequest): Promise<ModelSwitchDto> {
    return this.models.activate(params.version, body, req.apiKeyId ?? 'anonymous');
  }

  @DocumentedPost(':version/rollback', 200, ModelSwitchDto, {
    summary: 'Roll the active version back to its strategy\'s previous good version',
    description: 'This version is marked rejected and the previous good one activated, atomically; then model_rolled_back is published.',
  })
  @ApiNotFound('model version')
  @ApiConflictResponse({ type: ApiErrorDto, description: 'not the active version, or no earlier good version' })
  rollback(@Param() params: VersionParams, @Body() body: RollbackModelBody, @Req() req: ApiRequest): Promise<ModelSwitchDto> {
    return this.models.rollback(params.version, body, req.apiKeyId ?? 'anonymous');
  }
}

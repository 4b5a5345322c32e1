import { buildModelEvent, ModelEventsPublisher } from '@model-service/messaging';
import {
  ModelVersionEntity,
  ModelVersionRepository,
  OperationsReadRepository,
  QualityMetricRepository,
  RecordConflictError,
} from '@model-service/repositories';
import { ModelEvent, ModelEventType } from '@model-service/signals';
import { Clock, CLOCK, Logger } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { PageDto } from '../common/pagination.query';
import { resolveTimeRange } from '../common/time-range';
import {
  ActivateModelBody,
  ListModelsQuery,
  MetricTimeSeriesQuery,
  ModelMetricsQuery,
  RollbackModelBody,
} from './model-requests.dto';
import { ModelStorage } from './model-storage';
import { groupMetricSeries, MetricTimeSeriesDto } from './model-time-series.dto';
import {
  ModelVersionDetailsDto,
  ModelVersionDto,
  presentModelVersion,
  presentQualityMetric,
  QualityMetricPageDto,
} from './model-version.dto';

/** The version now active (its fields at the top level, as the original answered) and the switch's summary. */
export interface ModelSwitchResult extends ModelVersionDto {
  strategy_id: string;
  /** The version now active. */
  active_version: ModelVersionDto;
  /** The version that was active before (null when none, or when nothing changed). */
  previous_version: string | null;
  /** False when the version was already active (the event is sent again anyway, so replicas converge). */
  changed: boolean;
  event: ModelEvent;
}

@Injectable()
export class ModelsService {
  private readonly log = new Logger('ModelsService');

  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly metrics: QualityMetricRepository,
    private readonly reads: OperationsReadRepository,
    private readonly events: ModelEventsPublisher,
    private readonly storage: ModelStorage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(q: ListModelsQuery): Promise<PageDto<ModelVersionDto>> {
    const page = await this.versions.list(
      { strategyId: q.strategy_id, isActive: q.is_active, status: q.status },
      q.limit,
      q.offset,
    );
    return { ...page, items: page.items.map(presentModelVersion) };
  }

  async details(version: string): Promise<ModelVersionDetailsDto> {
    const model = await this.versions.getOrThrow(version);
    const latest = await this.metrics.latestForVersion(model.id);
    return { ...presentModelVersion(model), quality_metrics: latest.map(presentQualityMetric) };
  }

  /** One page of metrics; the controller answers the items as an array and the paging in headers. */
  async metricsOf(version: string, q: ModelMetricsQuery): Promise<QualityMetricPageDto> {
    const model = await this.versions.getOrThrow(version);
    const page = await this.reads.qualityMetricsPage(
      model.id,
      { metricType: q.metric_type, metricName: q.metric_name },
      q.limit,
      q.offset,
    );
    return { version: model.version, ...page, items: page.items.map(presentQualityMetric) };
  }

  async metricTimeSeries(version: string, q: MetricTimeSeriesQuery): Promise<MetricTimeSeriesDto> {
    const range = resolveTimeRange(q, this.clock.now());
    const model = await this.versions.getOrThrow(version);
    const points = await this.metrics.timeSeries(model.id, { ...range, metricNames: q.metric_names });
    return {
      version: model.version,
      strategy_id: model.strategyId,
      granularity: range.granularity,
      start_time: range.start.toISOString(),
      end_time: range.end.toISOString(),
      series: groupMetricSeries(points),
      model_version: model.version,
      data_points: points.map((p) => ({ timestamp: p.bucket.toISOString(), value: p.last, metric_name: p.metricName })),
    };
  }

  /** Makes `version` its strategy's one active version (atomically, in the database), then publishes model_activated. */
  async activate(version: string, body: ActivateModelBody, requestedBy: string): Promise<ModelSwitchResult> {
    const before = await this.versions.getOrThrow(version);
    const strategyId = body.strategy_id ?? before.strategyId;
    if (!before.isActive) await this.assertFilesPresent(before);
    const result = await this.versions.activate(version, strategyId);
    const changed = !before.isActive;
    const previous = result.previous?.version ?? null;
    this.log.info('model version activated', { version, strategy_id: strategyId, previous_version: previous, changed, requested_by: requestedBy });
    const event = await this.publish(ModelEventType.ACTIVATED, result.activated, previous, { changed, requestedBy, reason: body.reason });
    const active = presentModelVersion(result.activated);
    return { ...active, strategy_id: strategyId, active_version: active, previous_version: previous, changed, event };
  }

  /**
   * Rolls `version` (its strategy's active version) back to the strategy's previous good version: `version`
   * is marked rejected and the previous one activated in one transaction, then model_rolled_back is published.
   */
  async rollback(version: string, body: RollbackModelBody, requestedBy: string): Promise<ModelSwitchResult> {
    const current = await this.versions.getOrThrow(version);
    if (!current.isActive) {
      throw new RecordConflictError(
        `model version ${version} is not the active version of strategy ${current.strategyId}; only the active version can be rolled back`,
      );
    }
    const target = await this.versions.previousGood(current.strategyId);
    if (!target) throw new RecordConflictError(`strategy ${current.strategyId} has no earlier good model version to roll back to`);
    await this.assertFilesPresent(target);
    const result = await this.versions.rollback(current.strategyId);
    const previous = result.previous?.version ?? null;
    this.log.warn('model version rolled back', {
      strategy_id: current.strategyId,
      rolled_back_from: previous,
      version: result.activated.version,
      requested_by: requestedBy,
    });
    const event = await this.publish(ModelEventType.ROLLED_BACK, result.activated, previous, { changed: true, requestedBy, reason: body.reason });
    const active = presentModelVersion(result.activated);
    return { ...active, strategy_id: current.strategyId, active_version: active, previous_version: previous, changed: true, event };
  }

  private async assertFilesPresent(model: ModelVersionEntity): Promise<void> {
    if ((await this.storage.hasVersion(model.version)) === false) {
      throw new RecordConflictError(`the files of model version ${model.version} are missing from the model store; it cannot be activated`);
    }
  }

  private publish(
    type: ModelEventType,
    active: ModelVersionEntity,
    previous: string | null,
    info: { changed: boolean; requestedBy: string; reason?: string },
  ): Promise<ModelEvent> {
    return this.events.publish(
      buildModelEvent(type, {
        strategyId: active.strategyId,
        version: active.version,
        previousVersion: previous,
        checksum: active.checksum,
        timestamp: new Date(this.clock.now()),
        metadata: {
          source: 'api-gateway',
          requested_by: info.requestedBy,
          reason: info.reason ?? null,
          changed: info.changed,
          model_type: active.modelType,
          feature_set_version: active.featureSetVersion,
          checksum: active.checksum,
        },
      }),
    );
  }
}

import {
  ExecutionEventRepository,
  ModelVersionRepository,
  OperationsReadRepository,
  PerformanceFigures,
  QualityMetricRepository,
  TrainingRunRepository,
} from '@model-service/repositories';
import { Clock, CLOCK, HealthRegistry } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { iso } from '../common/iso';
import { ApiGatewayEnv } from '../config/api-gateway.env';
import { fieldError } from '../http/api-error';
import { presentQualityMetric } from '../models/model-version.dto';
import { ModelStorage } from '../models/model-storage';
import { ModelsPerformanceDto, ModelsPerformanceQuery, MonitoringHealthDto, PerformanceFiguresDto } from './monitoring.dto';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const EMPTY: PerformanceFigures = {
  totalOrders: 0,
  successfulOrders: 0,
  closedOrders: 0,
  successRate: 0,
  winRate: 0,
  totalPnl: 0,
  avgPnl: null,
};

function figures(f: PerformanceFigures | undefined): PerformanceFiguresDto {
  const v = f ?? EMPTY;
  return {
    total_orders: v.totalOrders,
    successful_orders: v.successfulOrders,
    closed_orders: v.closedOrders,
    success_rate: v.successRate,
    win_rate: v.winRate,
    total_pnl: v.totalPnl,
    avg_pnl: v.avgPnl,
  };
}

@Injectable()
export class MonitoringService {
  constructor(
    private readonly versions: ModelVersionRepository,
    private readonly metrics: QualityMetricRepository,
    private readonly executions: ExecutionEventRepository,
    private readonly runs: TrainingRunRepository,
    private readonly reads: OperationsReadRepository,
    private readonly healthRegistry: HealthRegistry,
    private readonly storage: ModelStorage,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly env: ApiGatewayEnv,
  ) {}

  /** Each active model: its evaluation, latest quality metrics, and how its signals and its strategy did in the window. */
  async modelsPerformance(q: ModelsPerformanceQuery): Promise<ModelsPerformanceDto> {
    const now = this.clock.now();
    const end = q.end_time ?? new Date(now);
    const start = q.start_time ?? new Date(end.getTime() - DAY_MS);
    if (end.getTime() <= start.getTime()) throw fieldError('start_time', 'start_time must be before end_time (default: now)');
    const active = (await this.versions.listActive()).filter((m) => q.strategy_id === undefined || m.strategyId === q.strategy_id);
    const counts = await this.modelCounts(active.length);
    if (active.length === 0) return { start_time: start.toISOString(), end_time: end.toISOString(), items: [], ...counts };
    const [byStrategy, byModel, latest] = await Promise.all([
      this.executions.performanceByStrategy({ start, end }),
      this.reads.modelSignalPerformance(active.map((m) => m.version), start, end),
      Promise.all(active.map((m) => this.metrics.latestForVersion(m.id))),
    ]);
    const strategyFigures = new Map(byStrategy.map((s) => [s.strategyId, s]));
    const modelFigures = new Map(byModel.map((m) => [m.modelVersion, m]));
    return {
      start_time: start.toISOString(),
      end_time: end.toISOString(),
      items: active.map((m, i) => ({
        strategy_id: m.strategyId,
        version: m.version,
        model_type: m.modelType,
        activated_at: iso(m.activatedAt),
        evaluation: m.metrics,
        latest_quality_metrics: (latest[i] ?? []).map(presentQualityMetric),
        model_signals: figures(modelFigures.get(m.version)),
        strategy: figures(strategyFigures.get(m.strategyId)),
      })),
      ...counts,
    };
  }

  /** /health's dependency checks plus what an operator wants to see at a glance. */
  private async modelCounts(activeCount: number): Promise<Pick<ModelsPerformanceDto, 'active_models_count' | 'total_models_count' | 'models_by_strategy' | 'models_by_type'>> {
    const rows = await this.versions.countsByStrategyAndType();
    const byStrategy: Record<string, number> = {};
    const byType: Record<string, number> = {};
    for (const r of rows) {
      byStrategy[r.strategyId] = (byStrategy[r.strategyId] ?? 0) + r.count;
      byType[r.modelType] = (byType[r.modelType] ?? 0) + r.count;
    }
    return {
      active_models_count: activeCount,
      total_models_count: rows.reduce((n, r) => n + r.count, 0),
      models_by_strategy: byStrategy,
      models_by_type: byType,
    };
  }

  async health(): Promise<MonitoringHealthDto> {
    const now = this.clock.now();
    const [report, storage, active, strategies, running, lastFinished, activity] = await Promise.all([
      this.healthRegistry.report(),
      this.storage.status(),
      this.versions.listActive(),
      this.reads.knownStrategyIds(),
      this.runs.running(),
      this.runs.lastFinished(),
      this.reads.activitySince(new Date(now - HOUR_MS)),
    ]);
    const warnings: string[] = [];
    if (!storage.exists) warnings.push(`model store ${storage.path} is not mounted here`);
    if (lastFinished?.status === 'failed') warnings.push(`the last training run (${lastFinished.strategyId}) failed: ${lastFinished.error ?? 'no reason recorded'}`);
    if (strategies.length > 0 && activity.signalsSince === 0) warnings.push('no signal was published in the last hour');
    const modelStrategies = new Set(active.map((m) => m.strategyId));
    return {
      status: report.status,
      timestamp: new Date(now).toISOString(),
      checks: report.checks,
      model_storage: { ...storage },
      models: {
        active_models: active.length,
        active: active.map((m) => ({ strategy_id: m.strategyId, version: m.version, activated_at: iso(m.activatedAt) })),
        strategies: strategies.length,
        strategies_in_model_mode: strategies.filter((s) => modelStrategies.has(s)).length,
        strategies_in_warmup: strategies.filter((s) => !modelStrategies.has(s)).length,
      },
      training: {
        is_training: running.length > 0,
        active_runs: running.length,
        last_finished_status: lastFinished?.status ?? null,
        last_finished_at: iso(lastFinished?.finishedAt),
      },
      activity: {
        last_signal_at: iso(activity.lastSignalAt),
        last_execution_at: iso(activity.lastExecutedAt),
        signals_last_hour: activity.signalsSince,
        executions_last_hour: activity.executionsSince,
      },
      warnings,
      database_connected: isUp(report.checks['database']),
      message_queue_connected: isUp(report.checks['message_queue']),
      model_storage_accessible: storage.exists && storage.readable,
      active_models: active.length,
      warmup_mode_enabled: this.env.WARMUP_MODE_ENABLED,
    };
  }
}

function isUp(check: unknown): boolean {
  return typeof check === 'object' && check !== null && (check as { status?: unknown }).status === 'up';
}

import { ModelVersionRepository, OperationsReadRepository, WarmupClockRepository } from '@model-service/repositories';
import { Clock, CLOCK } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { iso, isoRequired } from '../common/iso';
import { resolveTimeRange } from '../common/time-range';
import { TimeSeriesQuery } from '../models/model-requests.dto';
import { SkipCountsSource } from './skip-counts.source';
import { PerformanceTimeSeriesDto, StrategyDto, StrategyListDto } from './strategy.dto';

const DAY_MS = 86_400_000;

@Injectable()
export class StrategiesService {
  constructor(
    private readonly reads: OperationsReadRepository,
    private readonly versions: ModelVersionRepository,
    private readonly skips: SkipCountsSource,
    private readonly warmupClocks: WarmupClockRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every strategy seen in signals, executions, training runs or model versions, with its mode and activity. */
  async list(): Promise<StrategyListDto> {
    const now = this.clock.now();
    const [known, active, skips, clocks] = await Promise.all([this.reads.knownStrategyIds(), this.versions.listActive(), this.skips.read(), this.warmupClocks.all()]);
    const clockBy = new Map(clocks.map((c) => [c.strategyId, c]));
    const ids = [...known, ...clocks.map((c) => c.strategyId).filter((id) => !known.includes(id))];
    const activity = new Map((await this.reads.signalActivity(ids, new Date(now - DAY_MS))).map((a) => [a.strategyId, a]));
    const activeBy = new Map(active.map((m) => [m.strategyId, m]));
    const items = ids.map((id): StrategyDto => {
      const model = activeBy.get(id);
      const a = activity.get(id);
      const reasons = skips.counts ? (skips.counts.get(id) ?? {}) : null;
      const clock = clockBy.get(id);
      return {
        strategy_id: id,
        mode: model ? 'model' : 'warmup',
        active_model: model
          ? { version: model.version, model_type: model.modelType, feature_set_version: model.featureSetVersion, activated_at: iso(model.activatedAt) }
          : null,
        warmup: clock
          ? {
              started_at: isoRequired(clock.startedAt),
              max_duration_seconds: clock.maxDurationSeconds,
              ends_at: clock.maxDurationSeconds === null ? null : isoRequired(new Date(clock.startedAt.getTime() + clock.maxDurationSeconds * 1000)),
              expired_at: iso(clock.expiredAt),
              expired: !model && clock.expiredAt !== null,
            }
          : null,
        last_signal_at: iso(a?.lastSignalAt),
        signals: {
          signals_24h: a?.signalsSince ?? 0,
          buy_24h: a?.buySignalsSince ?? 0,
          sell_24h: a?.sellSignalsSince ?? 0,
          warmup_24h: a?.warmupSignalsSince ?? 0,
          model_24h: a?.modelSignalsSince ?? 0,
          last_signal_is_warmup: a?.lastSignalIsWarmup ?? null,
          last_signal_model_version: a?.lastSignalModelVersion ?? null,
        },
        skip_counts: {
          source: skips.source,
          total: reasons ? Object.values(reasons).reduce((s, n) => s + n, 0) : null,
          by_reason: reasons,
          ...(skips.error ? { error: skips.error } : {}),
        },
      };
    });
    return { items, total: items.length };
  }

  async performanceTimeSeries(strategyId: string, q: TimeSeriesQuery): Promise<PerformanceTimeSeriesDto> {
    const range = resolveTimeRange(q, this.clock.now());
    const buckets = await this.reads.performanceBuckets(strategyId, range);
    const items = buckets.map((b) => ({
      timestamp: isoRequired(b.bucket),
      success_rate: b.successRate,
      total_pnl: b.totalPnl,
      avg_pnl: b.avgPnl,
      total_orders: b.totalOrders,
      successful_orders: b.successfulOrders,
      closed_orders: b.closedOrders,
      win_rate: b.winRate,
    }));
    return {
      strategy_id: strategyId,
      granularity: range.granularity,
      start_time: range.start.toISOString(),
      end_time: range.end.toISOString(),
      items,
      data_points: items,
    };
  }
}

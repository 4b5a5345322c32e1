import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { parseCount } from '../database/numeric.transformer';
import {
  PerformanceFigures,
  performanceAggregates,
  RawPerformanceFigures,
  toPerformanceFigures,
} from '../database/performance-figures';
import { assertGranularity, Page, SqlParams } from '../database/sql-params';
import { QualityMetricEntity } from '../entities/quality-metric.entity';
import { PerformanceBucket, PerformanceQuery } from '../repositories/execution-event.repository';
import { QualityMetricFilters } from '../repositories/quality-metric.repository';

/** What the signals table says about one strategy. */
export interface StrategySignalActivity {
  strategyId: string;
  /** Time of the strategy's newest signal (null when it has none). */
  lastSignalAt: Date | null;
  /** Whether that newest signal was a warm-up one, and the model version it carried. */
  lastSignalIsWarmup: boolean | null;
  lastSignalModelVersion: string | null;
  /** Counts of signals at or after `since`. */
  signalsSince: number;
  buySignalsSince: number;
  sellSignalsSince: number;
  warmupSignalsSince: number;
  modelSignalsSince: number;
}

/** Execution figures of the signals one model version produced (joined on signal_id). */
export interface ModelSignalPerformance extends PerformanceFigures {
  modelVersion: string;
}


/**
 * Tables whose strategy_id leads an index, so their distinct strategies are found by a loose index scan
 * (one index probe per strategy) instead of reading every row. Fixed names, never user input.
 */
const STRATEGY_TABLES = ['trading_signals', 'execution_events', 'training_runs', 'model_versions'] as const;

/**
 * Read-only queries for the ops API (api-gateway) that the per-table repositories do not cover:
 * strategy discovery, signal activity per strategy, paged quality metrics, and per-model performance.
 */
@Injectable()
export class OperationsReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every strategy id that appears in signals, executions, training runs or model versions, sorted. */
  async knownStrategyIds(): Promise<string[]> {
    const parts = STRATEGY_TABLES.map(
      (table) => `(WITH RECURSIVE s AS (
          (SELECT strategy_id FROM ${table} ORDER BY strategy_id LIMIT 1)
          UNION ALL
          SELECT (SELECT t.strategy_id FROM ${table} t WHERE t.strategy_id > s.strategy_id ORDER BY t.strategy_id LIMIT 1)
            FROM s WHERE s.strategy_id IS NOT NULL)
        SELECT strategy_id FROM s WHERE strategy_id IS NOT NULL)`,
    );
    const rows: Array<{ strategy_id: string }> = await this.dataSource.query(
      `SELECT strategy_id FROM (${parts.join(' UNION ')}) u ORDER BY strategy_id`,
    );
    return rows.map((r) => r.strategy_id);
  }

  /** Newest signal and signal counts since `since`, per strategy (each an index range on (strategy_id, timestamp)). */
  async signalActivity(strategyIds: string[], since: Date): Promise<StrategySignalActivity[]> {
    if (strategyIds.length === 0) return [];
    const rows: Array<{
      strategy_id: string;
      last_at: Date | null;
      last_is_warmup: boolean | null;
      last_model_version: string | null;
      signals: string;
      buys: string;
      sells: string;
      warmups: string;
      models: string;
    }> = await this.dataSource.query(
      `SELECT ids.s AS strategy_id,
              last.ts AS last_at, last.is_warmup AS last_is_warmup, last.model_version AS last_model_version,
              agg.signals, agg.buys, agg.sells, agg.warmups, agg.models
         FROM unnest($1::text[]) AS ids(s)
         LEFT JOIN LATERAL (
           SELECT t."timestamp" AS ts, t.is_warmup, t.model_version
             FROM trading_signals t WHERE t.strategy_id = ids.s
            ORDER BY t."timestamp" DESC LIMIT 1) last ON true
         CROSS JOIN LATERAL (
           SELECT count(*) AS signals,
                  count(*) FILTER (WHERE t.signal_type = 'buy') AS buys,
                  count(*) FILTER (WHERE t.signal_type = 'sell') AS sells,
                  count(*) FILTER (WHERE t.is_warmup) AS warmups,
                  count(*) FILTER (WHERE NOT t.is_warmup) AS models
             FROM trading_signals t WHERE t.strategy_id = ids.s AND t."timestamp" >= $2) agg
        ORDER BY ids.s`,
      [strategyIds, since],
    );
    return rows.map((r) => ({
      strategyId: r.strategy_id,
      lastSignalAt: r.last_at,
      lastSignalIsWarmup: r.last_is_warmup,
      lastSignalModelVersion: r.last_model_version,
      signalsSince: parseCount(r.signals),
      buySignalsSince: parseCount(r.buys),
      sellSignalsSince: parseCount(r.sells),
      warmupSignalsSince: parseCount(r.warmups),
      modelSignalsSince: parseCount(r.models),
    }));
  }

  /** A version's metrics, newest first, one page of them with the total. */
  async qualityMetricsPage(
    modelVersionId: string,
    filters: QualityMetricFilters = {},
    limit = 100,
    offset = 0,
  ): Promise<Page<QualityMetricEntity>> {
    const qb = this.dataSource
      .getRepository(QualityMetricEntity)
      .createQueryBuilder('m')
      .where('m.model_version_id = :modelVersionId', { modelVersionId });
    if (filters.metricType !== undefined) qb.andWhere('m.metric_type = :metricType', { metricType: filters.metricType });
    if (filters.metricName !== undefined) qb.andWhere('m.metric_name = :metricName', { metricName: filters.metricName });
    qb.orderBy('m.evaluated_at', 'DESC').addOrderBy('m.metric_name', 'ASC').addOrderBy('m.id', 'ASC');
    const [items, total] = await qb.limit(limit).offset(offset).getManyAndCount();
    return { items, total, limit, offset };
  }

  /**
   * Success rate and PnL of the executions of signals that each of `versions` produced, executed in
   * [start, end). A fill is successful when its realized PnL is > 0 (as in ExecutionEventRepository).
   */
  async modelSignalPerformance(versions: string[], start: Date, end: Date): Promise<ModelSignalPerformance[]> {
    if (versions.length === 0) return [];
    const p = new SqlParams();
    const rows: Array<RawPerformanceFigures & { model_version: string }> = await this.dataSource.query(
      `SELECT s.model_version, ${performanceAggregates('e.realized_pnl')}
         FROM execution_events e
         JOIN trading_signals s ON s.signal_id = e.signal_id
        WHERE s.model_version = ANY(${p.add(versions)}::text[])
          AND e.executed_at >= ${p.add(start)} AND e.executed_at < ${p.add(end)}
        GROUP BY s.model_version ORDER BY s.model_version`,
      p.values,
    );
    return rows.map((r) => ({ modelVersion: r.model_version, ...toPerformanceFigures(r) }));
  }

  /**
   * The same buckets and figures as ExecutionEventRepository.performanceTimeSeries (UTC date_trunc buckets,
   * only buckets with executions, ascending), computed as one index range per bucket: each bucket is an
   * index-only scan of (strategy_id, executed_at) INCLUDE (realized_pnl) aggregated on the spot, so the rows
   * are never sorted or hashed by bucket (about 3x faster on a week of hours over 1M events, see tools/bench/src/api.ts).
   * JIT is turned off for the statement: its compile time (~100 ms) would dwarf the query.
   */
  async performanceBuckets(strategyId: string, query: PerformanceQuery): Promise<PerformanceBucket[]> {
    assertGranularity(query.granularity);
    const p = new SqlParams();
    const lo = `${p.add(query.start)}::timestamptz`;
    const hi = `${p.add(query.end)}::timestamptz`;
    const g = p.add(query.granularity);
    const strategy = p.add(strategyId);
    const utcHour = (t: string): string => `(date_trunc('hour', ${t} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
    const bucketOf = (t: string): string => `(date_trunc(${g}, ${t} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
    const raw = (from: string, to: string): string => `
      SELECT ${bucketOf('e.executed_at')} AS bucket, ${performanceAggregates('e.realized_pnl')}
        FROM execution_events e, w
       WHERE e.strategy_id = ${strategy} AND e.executed_at >= ${from} AND e.executed_at < ${to}
       GROUP BY 1`;
    // Whole UTC hours of the window come from the hourly roll-up (kept by triggers on execution_events);
    // only the partial hours at its two edges are aggregated from execution_events itself.
    const sql = `
      WITH w AS (
        SELECT ${lo} AS lo, ${hi} AS hi,
               CASE WHEN ${utcHour(lo)} = ${lo} THEN ${lo} ELSE ${utcHour(lo)} + interval '1 hour' END AS lo_full,
               ${utcHour(hi)} AS hi_full
      ), parts AS (
        SELECT ${bucketOf('h.hour')} AS bucket, sum(h.total_orders) AS total_orders, sum(h.successful_orders) AS successful_orders,
               sum(h.closed_orders) AS closed_orders, sum(h.total_pnl) AS total_pnl, NULL::numeric AS avg_pnl
          FROM execution_performance_hourly h, w
         WHERE h.strategy_id = ${strategy} AND h.hour >= w.lo_full AND h.hour < w.hi_full
         GROUP BY 1
        UNION ALL ${raw('w.lo', 'least(w.lo_full, w.hi)')}
        UNION ALL ${raw('greatest(w.hi_full, w.lo_full)', 'w.hi')}
      )
      SELECT bucket, sum(total_orders) AS total_orders, sum(successful_orders) AS successful_orders,
             sum(closed_orders) AS closed_orders, coalesce(sum(total_pnl), 0) AS total_pnl,
             sum(total_pnl) / nullif(sum(closed_orders), 0) AS avg_pnl
        FROM parts
       GROUP BY bucket
      HAVING sum(total_orders) > 0
       ORDER BY bucket`;
    const rows: Array<RawPerformanceFigures & { bucket: Date }> = await this.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL jit = off');
      return manager.query(sql, p.values);
    });
    return rows.map((r) => ({ bucket: r.bucket, ...toPerformanceFigures(r) }));
  }

  /** Newest signal and execution times, and how many of each arrived at or after `since`. */
  async activitySince(since: Date): Promise<{
    lastSignalAt: Date | null;
    lastExecutedAt: Date | null;
    signalsSince: number;
    executionsSince: number;
  }> {
    const [row]: Array<{ last_signal: Date | null; last_exec: Date | null; signals: string; executions: string }> =
      await this.dataSource.query(
        `SELECT (SELECT max("timestamp") FROM trading_signals) AS last_signal,
                (SELECT max(executed_at) FROM execution_events) AS last_exec,
                (SELECT count(*) FROM trading_signals WHERE "timestamp" >= $1) AS signals,
                (SELECT count(*) FROM execution_events WHERE executed_at >= $1) AS executions`,
        [since],
      );
    return {
      lastSignalAt: row?.last_signal ?? null,
      lastExecutedAt: row?.last_exec ?? null,
      signalsSince: parseCount(row?.signals),
      executionsSince: parseCount(row?.executions),
    };
  }
}

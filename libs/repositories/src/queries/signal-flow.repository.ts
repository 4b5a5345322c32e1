import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { parseCount } from '../database/numeric.transformer';
import { assertGranularity, Granularity, SqlParams } from '../database/sql-params';

/** How a signal came about: warm-up heuristics, the active model, or an exit rule (metadata.exit_reason). */
export type SignalMode = 'warmup' | 'model' | 'exit';

/** Signals of one strategy and mode in one UTC time bucket. */
export interface SignalCountBucket {
  bucket: Date;
  strategyId: string;
  mode: SignalMode;
  count: number;
}

/** Exit signals of one strategy for one exit rule. */
export interface ExitReasonCount {
  strategyId: string;
  exitReason: string;
  count: number;
  lastAt: Date;
}

/**
 * The mode of a trading_signals row as SQL. Exit signals carry metadata.exit_reason (exit-strategy writes it);
 * the rest are warm-up or model signals by is_warmup.
 */
const MODE_SQL = `CASE WHEN t.metadata ? 'exit_reason' THEN 'exit' WHEN t.is_warmup THEN 'warmup' ELSE 'model' END`;

/**
 * Aggregates of the signals table for the ops dashboard: how many signals each strategy published per mode
 * over time, and how many exits each exit rule caused. Both read one index range of (strategy_id, timestamp)
 * per strategy, so their cost follows the window asked for, not the size of the table.
 */
@Injectable()
export class SignalFlowRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Signal counts per UTC bucket, strategy and mode in [start, end); only non-empty buckets, ascending. */
  async signalCounts(strategyIds: string[], range: { start: Date; end: Date; granularity: Granularity }): Promise<SignalCountBucket[]> {
    if (strategyIds.length === 0) return [];
    assertGranularity(range.granularity);
    const p = new SqlParams();
    const ids = p.add(strategyIds);
    const g = p.add(range.granularity);
    const rows: Array<{ bucket: Date; strategy_id: string; mode: SignalMode; n: string }> = await this.dataSource.query(
      `SELECT agg.bucket, ids.s AS strategy_id, agg.mode, agg.n
         FROM unnest(${ids}::text[]) AS ids(s)
         CROSS JOIN LATERAL (
           SELECT date_trunc(${g}, t."timestamp" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, ${MODE_SQL} AS mode, count(*) AS n
             FROM trading_signals t
            WHERE t.strategy_id = ids.s AND t."timestamp" >= ${p.add(range.start)} AND t."timestamp" < ${p.add(range.end)}
            GROUP BY 1, 2) agg
        ORDER BY agg.bucket, ids.s, agg.mode`,
      p.values,
    );
    return rows.map((r) => ({ bucket: r.bucket, strategyId: r.strategy_id, mode: r.mode, count: parseCount(r.n) }));
  }

  /** Exit signals in [start, end) per strategy and exit rule, most frequent first. */
  async exitsByReason(strategyIds: string[], start: Date, end: Date): Promise<ExitReasonCount[]> {
    if (strategyIds.length === 0) return [];
    const rows: Array<{ strategy_id: string; exit_reason: string; n: string; last_at: Date }> = await this.dataSource.query(
      `SELECT ids.s AS strategy_id, agg.exit_reason, agg.n, agg.last_at
         FROM unnest($1::text[]) AS ids(s)
         CROSS JOIN LATERAL (
           SELECT t.metadata->>'exit_reason' AS exit_reason, count(*) AS n, max(t."timestamp") AS last_at
             FROM trading_signals t
            WHERE t.strategy_id = ids.s AND t."timestamp" >= $2 AND t."timestamp" < $3 AND t.metadata ? 'exit_reason'
            GROUP BY 1) agg
        ORDER BY agg.n DESC, ids.s, agg.exit_reason`,
      [strategyIds, start, end],
    );
    return rows.map((r) => ({ strategyId: r.strategy_id, exitReason: r.exit_reason, count: parseCount(r.n), lastAt: r.last_at }));
  }
}

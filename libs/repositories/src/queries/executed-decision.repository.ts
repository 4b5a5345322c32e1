import type { ExecutedDecision } from '@model-service/features';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { parseRequiredNumeric } from '../database/numeric.transformer';
import { SqlParams } from '../database/sql-params';

/**
 * One execution with the few fields of its signal that labelling needs (no snapshot, no metadata): libs/features'
 * `ExecutedDecision` plus who decided. Times are epoch milliseconds (sub-millisecond digits dropped, as a JS Date
 * drops them in the trainer's dataset loader).
 */
export interface ExecutedDecisionRow extends ExecutedDecision {
  strategyId: string;
  /** The model version that made the decision; null for warm-up and for exit-strategy's closes. */
  modelVersion: string | null;
}

export interface ExecutedDecisionQuery {
  strategyId?: string;
  /** Signal timestamp >= from. */
  from?: Date;
  /** Signal timestamp < to. */
  to?: Date;
}

interface Raw {
  strategy_id: string;
  model_version: string | null;
  is_warmup: boolean;
  asset: string;
  side: string;
  signal_ms: number;
  signal_price: string | null;
  executed_ms: number;
  execution_price: string;
  execution_quantity: string;
  execution_fees: string;
}

/**
 * Executed decisions for outcome comparisons (model mode against warm-up), read lean so that a window of
 * hundreds of thousands of executions stays a few tens of megabytes. The newest `limit` rows by signal time
 * are returned, oldest first in the trainer's dataset order (signal time, signal row, execution row), so equal
 * timestamps meet a label in the same order as there; `truncated` says older ones in the window were left out.
 */
@Injectable()
export class ExecutedDecisionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ExecutedDecisionQuery, limit: number): Promise<{ rows: ExecutedDecisionRow[]; truncated: boolean }> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    const p = new SqlParams();
    const where: string[] = [];
    if (query.strategyId !== undefined) where.push(`ts.strategy_id = ${p.add(query.strategyId)}`);
    if (query.from !== undefined) where.push(`ts."timestamp" >= ${p.add(query.from)}`);
    if (query.to !== undefined) where.push(`ts."timestamp" < ${p.add(query.to)}`);
    const sql = `SELECT ts.strategy_id, ts.model_version, ts.is_warmup, ts.asset, ee.side,
              floor(extract(epoch FROM ts."timestamp") * 1000)::float8 AS signal_ms,
              ts.market_data_snapshot->>'price' AS signal_price,
              floor(extract(epoch FROM ee.executed_at) * 1000)::float8 AS executed_ms,
              ee.execution_price, ee.execution_quantity, ee.execution_fees
         FROM trading_signals ts
         JOIN execution_events ee ON ee.signal_id = ts.signal_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ts."timestamp" DESC, ts.id DESC, ee.id DESC
        LIMIT ${p.add(limit + 1)}`;
    // A query this size is costed high enough to be JIT-compiled, which takes longer than running it.
    const raw: Raw[] = await this.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL jit = off');
      return manager.query(sql, p.values);
    });
    const truncated = raw.length > limit;
    return { rows: raw.slice(0, limit).reverse().map(toRow), truncated };
  }
}

function toRow(r: Raw): ExecutedDecisionRow {
  // Like the trainer's price series: a snapshot price that is not a positive number is no price.
  const price = r.signal_price === null ? Number.NaN : Number(r.signal_price);
  return {
    strategyId: r.strategy_id,
    modelVersion: r.model_version,
    asset: r.asset,
    mode: r.is_warmup ? 'warmup' : r.model_version === null ? 'exit' : 'model',
    side: r.side,
    signalTimeMs: Number(r.signal_ms),
    signalPrice: Number.isFinite(price) && price > 0 ? price : null,
    executedAtMs: Number(r.executed_ms),
    executionPrice: parseRequiredNumeric(r.execution_price),
    executionQuantity: parseRequiredNumeric(r.execution_quantity),
    executionFees: parseRequiredNumeric(r.execution_fees),
  };
}

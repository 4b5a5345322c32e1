import { parseNumeric, parseRequiredNumeric } from '../database/numeric.transformer';
import { SqlParams } from '../database/sql-params';
import { toDate } from '../database/to-date';

/** Which executions (joined to their signals) make up a dataset. Times refer to the signal's timestamp. */
export interface DatasetQuery {
  strategyId?: string;
  /** Signal timestamp >= from. */
  from?: Date;
  /** Signal timestamp < to. */
  to?: Date;
}

/** Opaque keyset position: pass `next` of one page to get the following one. */
export interface DatasetCursor {
  signalTimestamp: string;
  signalRowId: string;
  executionId: string;
}

/** One execution with the signal it came from (state at decision time + realised outcome). */
export interface DatasetRow {
  signalRowId: string;
  signalId: string;
  strategyId: string;
  asset: string;
  signalType: 'buy' | 'sell';
  amount: number;
  confidence: number;
  signalTimestamp: Date;
  modelVersion: string | null;
  isWarmup: boolean;
  marketDataSnapshot: Record<string, unknown>;
  executionId: string;
  eventId: string;
  orderId: string;
  side: string;
  executionPrice: number;
  executionQuantity: number;
  executionFees: number;
  executedAt: Date;
  signalPrice: number | null;
  marketConditions: Record<string, unknown>;
  performance: Record<string, unknown>;
  realizedPnl: number | null;
  returnPercent: number | null;
  slippagePercent: number | null;
  isPartialFill: boolean;
}

/** One row as PostgreSQL's to_json() writes it (one JSON text per row: far cheaper to read than 26 typed columns). */
export interface RawDatasetRow {
  signal_row_id: number | string;
  signal_id: string;
  strategy_id: string;
  asset: string;
  signal_type: 'buy' | 'sell';
  amount: number | string;
  confidence: number;
  signal_timestamp: string;
  model_version: string | null;
  is_warmup: boolean;
  market_data_snapshot: Record<string, unknown>;
  execution_id: number | string;
  event_id: string;
  order_id: string;
  side: string;
  execution_price: number | string;
  execution_quantity: number | string;
  execution_fees: number | string;
  executed_at: string;
  signal_price: number | string | null;
  market_conditions: Record<string, unknown>;
  performance: Record<string, unknown>;
  realized_pnl: number | string | null;
  return_percent: number | null;
  slippage_percent: number | null;
  is_partial_fill: boolean;
}

/**
 * Executions joined to trading_signals by signal_id, ordered by (signal timestamp, signal row, execution
 * row) — a total order, so keyset pages never skip or repeat a row. The redundant `timestamp >=` lets
 * the planner walk the timestamp index from the cursor on. Each row comes back as one JSON text (`j`).
 */
export function buildDatasetSql(
  query: DatasetQuery,
  after: DatasetCursor | null,
  limit: number | null,
): { sql: string; params: unknown[] } {
  const p = new SqlParams();
  const where = datasetWhere(query, p);
  if (after) {
    const ts = p.add(after.signalTimestamp);
    where.push(`ts."timestamp" >= ${ts}::timestamptz`);
    where.push(
      `(ts."timestamp", ts.id, ee.id) > (${ts}::timestamptz, ${p.add(after.signalRowId)}::bigint, ${p.add(after.executionId)}::bigint)`,
    );
  }
  const sql = `
    SELECT to_json(d)::text AS j FROM (
      SELECT ts.id AS signal_row_id, ts.signal_id, ts.strategy_id, ts.asset, ts.signal_type, ts.amount,
             ts.confidence, ts."timestamp" AS signal_timestamp, ts.model_version, ts.is_warmup,
             ts.market_data_snapshot, ee.id AS execution_id, ee.event_id, ee.order_id, ee.side,
             ee.execution_price, ee.execution_quantity, ee.execution_fees, ee.executed_at, ee.signal_price,
             ee.market_conditions, ee.performance, ee.realized_pnl, ee.return_percent, ee.slippage_percent,
             ee.is_partial_fill
        FROM trading_signals ts
        JOIN execution_events ee ON ee.signal_id = ts.signal_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ) d
    ORDER BY d.signal_timestamp, d.signal_row_id, d.execution_id
    ${limit !== null ? `LIMIT ${p.add(limit)}` : ''}`;
  return { sql, params: p.values };
}

function datasetWhere(query: DatasetQuery, p: SqlParams): string[] {
  const where: string[] = [];
  if (query.strategyId !== undefined) where.push(`ts.strategy_id = ${p.add(query.strategyId)}`);
  if (query.from !== undefined) where.push(`ts."timestamp" >= ${p.add(query.from)}`);
  if (query.to !== undefined) where.push(`ts."timestamp" < ${p.add(query.to)}`);
  return where;
}

/**
 * What a training dataset reads of one execution and its signal. Same fields as DatasetRow, but the snapshot
 * holds only the non-null values at the requested JSON paths (see `buildTrainingCopySql`).
 */
export type TrainingRow = Pick<
  DatasetRow,
  | 'asset'
  | 'signalType'
  | 'signalTimestamp'
  | 'modelVersion'
  | 'isWarmup'
  | 'marketDataSnapshot'
  | 'side'
  | 'executionPrice'
  | 'executionQuantity'
  | 'executionFees'
  | 'executedAt'
  | 'isPartialFill'
>;

/** Snapshot paths must be non-empty lists of keys (they are bound as text[] parameters). */
export function assertSnapshotPaths(paths: readonly (readonly string[])[]): void {
  for (const path of paths) {
    if (!Array.isArray(path) || path.length === 0 || !path.every((k) => typeof k === 'string' && k.length > 0)) {
      throw new RangeError(`snapshot path must be a non-empty list of keys, got ${JSON.stringify(path)}`);
    }
  }
}

export function parseDatasetJson(text: string): RawDatasetRow {
  return JSON.parse(text) as RawDatasetRow;
}

export function mapDatasetRow(r: RawDatasetRow): DatasetRow {
  return {
    signalRowId: String(r.signal_row_id),
    signalId: r.signal_id,
    strategyId: r.strategy_id,
    asset: r.asset,
    signalType: r.signal_type,
    amount: parseRequiredNumeric(r.amount),
    confidence: r.confidence,
    signalTimestamp: toDate(r.signal_timestamp),
    modelVersion: r.model_version,
    isWarmup: r.is_warmup,
    marketDataSnapshot: r.market_data_snapshot,
    executionId: String(r.execution_id),
    eventId: r.event_id,
    orderId: r.order_id,
    side: r.side,
    executionPrice: parseRequiredNumeric(r.execution_price),
    executionQuantity: parseRequiredNumeric(r.execution_quantity),
    executionFees: parseRequiredNumeric(r.execution_fees),
    executedAt: toDate(r.executed_at),
    signalPrice: parseNumeric(r.signal_price),
    marketConditions: r.market_conditions,
    performance: r.performance,
    realizedPnl: parseNumeric(r.realized_pnl),
    returnPercent: r.return_percent,
    slippagePercent: r.slippage_percent,
    isPartialFill: r.is_partial_fill,
  };
}

/** Keyset position after `r`; the timestamp keeps PostgreSQL's microseconds (a JS Date would drop them). */
export function cursorOf(r: RawDatasetRow): DatasetCursor {
  return {
    signalTimestamp: r.signal_timestamp,
    signalRowId: String(r.signal_row_id),
    executionId: String(r.execution_id),
  };
}

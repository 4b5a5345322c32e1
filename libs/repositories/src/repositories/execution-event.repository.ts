import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { BinaryCopyParser, copyOut } from '../database/binary-copy';
import {
  PerformanceFigures,
  performanceAggregates,
  RawPerformanceFigures,
  toPerformanceFigures,
} from '../database/performance-figures';
import { assertGranularity, chunk, Granularity, rowsPerStatement, SqlParams } from '../database/sql-params';
import { toDate, toDateOrNull } from '../database/to-date';
import { ExecutionEventEntity } from '../entities/execution-event.entity';
import { isDataError, RejectedRowError } from '../errors';
import {
  assertSnapshotPaths,
  buildDatasetSql,
  cursorOf,
  DatasetCursor,
  DatasetQuery,
  DatasetRow,
  mapDatasetRow,
  parseDatasetJson,
} from './execution-dataset.query';
import { StrategyTableRepository } from './table.repository';
import { buildTrainingCopySql, FEATURE_VALUES_COLUMN, matchingLayout, TrainingColumns, TrainingColumnsDecoder } from './training-rows.copy';

/** The OrderExecutionEvent message (snake_case, as in ARCHITECTURE.md); a contract instance fits. */
export interface ExecutionEventInput {
  event_id: string;
  order_id: string;
  signal_id?: string | null;
  strategy_id: string;
  asset: string;
  side: string;
  execution_price: number;
  execution_quantity: number;
  execution_fees: number;
  executed_at: string | Date;
  signal_price?: number | null;
  signal_timestamp?: string | Date | null;
  market_conditions?: object | null;
  performance?: {
    slippage?: number | null;
    slippage_percent?: number | null;
    realized_pnl?: number | null;
    return_percent?: number | null;
  } | null;
  trace_id?: string | null;
  /** Not part of the message; the intake decides it (e.g. from the order's quantity). */
  is_partial_fill?: boolean;
}

export interface InsertBatchResult {
  inserted: number;
  /** Events whose event_id was already stored (or repeated within the batch). */
  duplicates: number;
  insertedEventIds: string[];
}

/** insertBatchIsolatingRejects: the batch result plus the rows that could not be stored, by input index. */
export interface IsolatedInsertResult extends InsertBatchResult {
  /** Input index → why PostgreSQL (or the row mapping) refused that event; every other event is stored. */
  rejected: Map<number, RejectedRowError>;
}

export interface PerformanceQuery {
  granularity: Granularity;
  start: Date;
  /** Exclusive. */
  end: Date;
}

export type { PerformanceFigures };

export interface PerformanceBucket extends PerformanceFigures {
  bucket: Date;
}

const INSERT_COLUMNS = [
  'event_id',
  'order_id',
  'signal_id',
  'strategy_id',
  'asset',
  'side',
  'execution_price',
  'execution_quantity',
  'execution_fees',
  'executed_at',
  'signal_price',
  'signal_timestamp',
  'market_conditions',
  'performance',
  'realized_pnl',
  'return_percent',
  'slippage_percent',
  'is_partial_fill',
  'trace_id',
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const AGGREGATES = performanceAggregates();

@Injectable()
export class ExecutionEventRepository extends StrategyTableRepository<ExecutionEventEntity> {
  constructor(dataSource: DataSource) {
    super(dataSource, ExecutionEventEntity);
  }

  /**
   * Stores events idempotently with multi-row `INSERT ... ON CONFLICT (event_id) DO NOTHING`, in chunks
   * that respect PostgreSQL's bind-parameter limit, all in one transaction.
   */
  async insertBatch(events: readonly ExecutionEventInput[], rowsPerInsert = 1000): Promise<InsertBatchResult> {
    if (events.length === 0) return { inserted: 0, duplicates: 0, insertedEventIds: [] };
    return this.insertValues(events.map(toRowValues), rowsPerInsert);
  }

  /**
   * insertBatch for a micro-batch of independent messages: when PostgreSQL refuses the data of one row
   * (isDataError: too long, a NUL byte, a constraint) the batch's transaction is rolled back and its
   * rows are stored one statement each, so the innocent rows are kept and only the refused ones are
   * reported in `rejected`. A connection error (or any other) still rejects the whole call: it says
   * nothing about the rows.
   */
  async insertBatchIsolatingRejects(events: readonly ExecutionEventInput[], rowsPerInsert = 1000): Promise<IsolatedInsertResult> {
    const rejected = new Map<number, RejectedRowError>();
    const rows: Array<unknown[] | null> = events.map((e, i) => {
      try {
        return toRowValues(e);
      } catch (err) {
        rejected.set(i, new RejectedRowError(String(e.event_id), err));
        return null;
      }
    });
    if (rejected.size === 0) {
      try {
        return { ...(await this.insertValues(rows as unknown[][], rowsPerInsert)), rejected };
      } catch (err) {
        if (!isDataError(err)) throw err;
      }
    }
    const insertedEventIds: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!row) continue;
      try {
        const { insertedEventIds: ids } = await this.insertValues([row], 1);
        insertedEventIds.push(...ids);
      } catch (err) {
        if (!isDataError(err)) throw err;
        rejected.set(i, new RejectedRowError(String(events[i]?.event_id), err));
      }
    }
    const inserted = insertedEventIds.length;
    return { inserted, duplicates: events.length - rejected.size - inserted, insertedEventIds, rejected };
  }

  private async insertValues(values: unknown[][], rowsPerInsert: number): Promise<InsertBatchResult> {
    const size = rowsPerStatement(INSERT_COLUMNS.length, rowsPerInsert);
    const insertedEventIds: string[] = [];
    await this.dataSource.transaction(async (manager) => {
      for (const part of chunk(values, size)) {
        const p = new SqlParams();
        const tuples = part.map((row) => `(${row.map((v) => p.add(v)).join(', ')})`).join(', ');
        const rows: Array<{ event_id: string }> = await manager.query(
          `INSERT INTO execution_events (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples}
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
          p.values,
        );
        for (const r of rows) insertedEventIds.push(r.event_id);
      }
    });
    return { inserted: insertedEventIds.length, duplicates: values.length - insertedEventIds.length, insertedEventIds };
  }

  findByEventId(eventId: string): Promise<ExecutionEventEntity | null> {
    return this.repo.findOne({ where: { eventId } });
  }

  findBySignalId(signalId: string): Promise<ExecutionEventEntity[]> {
    return this.repo.find({ where: { signalId }, order: { executedAt: 'ASC', id: 'ASC' } });
  }

  /** Executions of a strategy (every strategy when null) executed after `since`. */
  countSince(strategyId: string | null, since: Date): Promise<number> {
    const qb = this.repo.createQueryBuilder('e').where('e.executed_at > :since', { since });
    if (strategyId !== null) qb.andWhere('e.strategy_id = :strategyId', { strategyId });
    return qb.getCount();
  }

  /** One keyset page of the training dataset; `next` is null after the last page. */
  async datasetPage(
    query: DatasetQuery,
    after: DatasetCursor | null,
    limit = 10_000,
  ): Promise<{ rows: DatasetRow[]; next: DatasetCursor | null }> {
    const { sql, params } = buildDatasetSql(query, after, limit);
    const texts: Array<{ j: string }> = await this.dataSource.query(sql, params);
    const raw = texts.map((t) => parseDatasetJson(t.j));
    const last = raw[raw.length - 1];
    return { rows: raw.map(mapDatasetRow), next: raw.length === limit && last ? cursorOf(last) : null };
  }

  /**
   * The whole dataset in batches from one server-side cursor (a consistent snapshot, constant memory):
   * `for await (const rows of repo.streamDataset({ strategyId })) ...`. Breaking out early closes it.
   */
  async *streamDataset(query: DatasetQuery, batchSize = 10_000): AsyncGenerator<DatasetRow[]> {
    const { sql, params } = buildDatasetSql(query, null, null);
    for await (const texts of this.cursorBatches(sql, params, batchSize)) yield texts.map((t) => mapDatasetRow(parseDatasetJson(t)));
  }

  /**
   * The rows of `streamDataset` (same query, same order) with only what a training dataset reads, as columns:
   * the snapshot values at `snapshotPaths` (libs/features' SNAPSHOT_FEATURE_PATHS), a few execution fields.
   * Read with one binary COPY on a connection of its own (no per-row text formatting on the server, no JSON
   * and no object per row here); the snapshot values come from `snapshot_feature_values`, extracted when each
   * signal was written, when that column holds exactly these paths, else from the snapshot.
   */
  async *streamTrainingColumns(
    query: DatasetQuery,
    opts: { snapshotPaths: readonly (readonly string[])[]; batchSize?: number },
  ): AsyncGenerator<TrainingColumns> {
    assertSnapshotPaths(opts.snapshotPaths);
    const batchSize = opts.batchSize ?? 10_000;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    const layout = matchingLayout(await this.featureValuesComment(), opts.snapshotPaths);
    const decoder = new TrainingColumnsDecoder(opts.snapshotPaths, layout, batchSize);
    const parser = new BinaryCopyParser(decoder.onTuple);
    // The COPY runs as long as the reader takes: no statement timeout, but one for a server that stops sending.
    const settings = { jit: 'off', statement_timeout: '0' };
    for await (const chunk of copyOut(this.dataSource, buildTrainingCopySql(query, opts.snapshotPaths, layout), { settings })) {
      parser.push(chunk);
      for (const batch of decoder.takeFull()) yield batch;
    }
    parser.finish();
    const last = decoder.finish();
    if (last) yield last;
  }

  /** The layout comment of trading_signals' extracted snapshot values (null before that migration). */
  private async featureValuesComment(): Promise<string | null> {
    const rows: Array<{ comment: string | null }> = await this.dataSource.query(
      `SELECT col_description(a.attrelid, a.attnum) AS comment
         FROM pg_attribute a
        WHERE a.attrelid = to_regclass('trading_signals') AND a.attname = $1 AND NOT a.attisdropped`,
      [FEATURE_VALUES_COLUMN],
    );
    return rows[0]?.comment ?? null;
  }

  /** Column `j` of a query, `batchSize` rows at a time from a server-side cursor in its own transaction. */
  private async *cursorBatches(sql: string, params: unknown[], batchSize: number): AsyncGenerator<string[]> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // Plan for reading everything (not for the first rows), and skip JIT compilation for this one query.
      await runner.query('SET LOCAL cursor_tuple_fraction = 1.0');
      await runner.query('SET LOCAL jit = off');
      await runner.query(`DECLARE model_service_dataset NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        // batchSize is a validated integer; FETCH does not accept a bind parameter.
        const rows: Array<{ j: string }> = await runner.query(`FETCH FORWARD ${batchSize} FROM model_service_dataset`);
        if (rows.length === 0) break;
        const texts = new Array<string>(rows.length);
        for (let i = 0; i < rows.length; i++) texts[i] = rows[i].j;
        yield texts;
        if (rows.length < batchSize) break;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /** Per-bucket (UTC) success rate and PnL of a strategy's executions, aggregated in SQL. */
  async performanceTimeSeries(strategyId: string, query: PerformanceQuery): Promise<PerformanceBucket[]> {
    assertGranularity(query.granularity);
    const p = new SqlParams();
    const rows: Array<RawPerformanceFigures & { bucket: Date }> = await this.dataSource.query(
      `SELECT date_trunc(${p.add(query.granularity)}, executed_at, 'UTC') AS bucket, ${AGGREGATES}
         FROM execution_events
        WHERE strategy_id = ${p.add(strategyId)} AND executed_at >= ${p.add(query.start)} AND executed_at < ${p.add(query.end)}
        GROUP BY 1 ORDER BY 1`,
      p.values,
    );
    return rows.map((r) => ({ bucket: r.bucket, ...toPerformanceFigures(r) }));
  }

  /** The same figures per strategy over an optional time window (executed_at). */
  async performanceByStrategy(
    window: { start?: Date; end?: Date } = {},
  ): Promise<Array<PerformanceFigures & { strategyId: string }>> {
    const p = new SqlParams();
    const where: string[] = [];
    if (window.start) where.push(`executed_at >= ${p.add(window.start)}`);
    if (window.end) where.push(`executed_at < ${p.add(window.end)}`);
    const rows: Array<RawPerformanceFigures & { strategy_id: string }> = await this.dataSource.query(
      `SELECT strategy_id, ${AGGREGATES} FROM execution_events
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY strategy_id ORDER BY strategy_id`,
      p.values,
    );
    return rows.map((r) => ({ strategyId: r.strategy_id, ...toPerformanceFigures(r) }));
  }
}

function toRowValues(e: ExecutionEventInput): unknown[] {
  if (e.signal_id != null && !UUID.test(e.signal_id)) {
    throw new TypeError(`execution event ${e.event_id}: signal_id ${JSON.stringify(e.signal_id)} is not a UUID`);
  }
  const perf = e.performance ?? {};
  return [
    e.event_id,
    e.order_id,
    e.signal_id ?? null,
    e.strategy_id,
    e.asset,
    e.side.toLowerCase(),
    e.execution_price,
    e.execution_quantity,
    e.execution_fees,
    toDate(e.executed_at),
    e.signal_price ?? null,
    toDateOrNull(e.signal_timestamp),
    JSON.stringify(e.market_conditions ?? {}),
    JSON.stringify(perf),
    finiteOrNull(perf.realized_pnl),
    finiteOrNull(perf.return_percent),
    finiteOrNull(perf.slippage_percent),
    e.is_partial_fill ?? false,
    e.trace_id ?? null,
  ];
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

import { snapshotAtPaths, type SnapshotValueType } from '@model-service/features';
import { escapeLiteral } from 'pg';

import { parseRequiredNumeric } from '../database/numeric.transformer';
import type { DatasetQuery, TrainingRow } from './execution-dataset.query';

/** trading_signals' column of snapshot values extracted at write time (migration TradingSignalFeatureValues). */
export const FEATURE_VALUES_COLUMN = 'snapshot_feature_values';

/** The column's layout, from its comment: the JSON path of each 8-byte slot and how it is stored. */
export interface FeatureValuesLayout {
  paths: string[][];
  types: SnapshotValueType[];
}

/**
 * The layout a column comment records, when it is the one `paths` asks for (same paths, same order);
 * null when it is not (or the comment is missing or malformed): the reader then extracts every value from
 * the snapshot, as it did before the column existed.
 */
export function matchingLayout(comment: string | null | undefined, paths: readonly (readonly string[])[]): FeatureValuesLayout | null {
  if (!comment) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment);
  } catch {
    return null;
  }
  const layout = parsed as Partial<FeatureValuesLayout> | null;
  if (!layout || !Array.isArray(layout.paths) || !Array.isArray(layout.types) || layout.types.length !== layout.paths.length) return null;
  if (!layout.types.every((t) => t === 'float8' || t === 'boolean')) return null;
  if (JSON.stringify(layout.paths) !== JSON.stringify(paths)) return null;
  return { paths: layout.paths, types: layout.types };
}

/**
 * The training rows of a dataset query (executions joined to their signals, in signal-time order: the order of
 * `buildDatasetSql`), as a SELECT for `COPY ... TO STDOUT (FORMAT binary)`. COPY takes no bind parameters, so the
 * few values are inlined as escaped literals. Columns (decoded by `TrainingColumnsDecoder`): asset, signal_type,
 * timestamp, model_version, is_warmup, side, execution price / quantity / fees (each as float8 or text, see
 * `asFloat8`), executed_at, is_partial_fill, the extracted snapshot values (`v`, when `layout` is given),
 * and `j`, a JSON array of the values at `paths`, only for rows without `v`.
 */
export function buildTrainingCopySql(query: DatasetQuery, paths: readonly (readonly string[])[], layout: FeatureValuesLayout | null): string {
  const where: string[] = [];
  if (query.strategyId !== undefined) where.push(`ts.strategy_id = ${escapeLiteral(query.strategyId)}`);
  if (query.from !== undefined) where.push(`ts."timestamp" >= ${timestampLiteral(query.from)}`);
  if (query.to !== undefined) where.push(`ts."timestamp" < ${timestampLiteral(query.to)}`);
  const values = layout ? `ts.${FEATURE_VALUES_COLUMN}` : 'NULL::bytea';
  // A chain of `->` per path (a missing key, or a parent that is no object, gives NULL).
  const json = paths.map((path) => `ts.market_data_snapshot${path.map((key) => ` -> ${escapeLiteral(key)}`).join('')}`);
  return `
    SELECT ts.asset, ts.signal_type, ts."timestamp", ts.model_version, ts.is_warmup,
           ee.side, ${asFloat8('ee.execution_price')}, ${asFloat8('ee.execution_quantity')}, ${asFloat8('ee.execution_fees')},
           ee.executed_at, ee.is_partial_fill,
           ${values} AS v,
           CASE WHEN ${values} IS NULL THEN jsonb_build_array(${json.join(', ')})::text END AS j
      FROM trading_signals ts
      JOIN execution_events ee ON ee.signal_id = ts.signal_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY ts."timestamp", ts.id, ee.id`;
}

/**
 * A numeric column as two: the float8 PostgreSQL converts it to (numeric_out then strtod, correctly rounded: the
 * double Number() gives for the same text), or, where float8 cannot hold it (float8in would refuse it) or it is
 * NaN / infinite, the text, parsed here like every numeric.
 */
function asFloat8(column: string): string {
  const fits = `(${column} = 0 OR abs(${column}) BETWEEN 1e-307 AND 1e308)`;
  return `CASE WHEN ${fits} THEN ${column}::float8 END, CASE WHEN NOT ${fits} THEN ${column}::text END`;
}

function timestampLiteral(d: Date): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError('dataset time bounds must be valid Dates');
  return `${escapeLiteral(d.toISOString())}::timestamptz`;
}

const FIELDS = 16;
/** Milliseconds from 1970 to 2000-01-01, PostgreSQL's timestamp epoch. */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * A batch of training rows as columns (what a dataset builder reads, with no object per row): row i's fields
 * at index i; its snapshot values at `values[i * paths.length ...]` (NaN: absent or null; a boolean path as
 * 1 / 0), or, for a row whose values are not all numbers there, its restricted snapshot in `snapshots[i]`.
 */
export interface TrainingColumns {
  length: number;
  paths: readonly (readonly string[])[];
  types: readonly SnapshotValueType[];
  asset: string[];
  signalType: Array<'buy' | 'sell'>;
  /** Epoch ms (floored from PostgreSQL's microseconds, as a JS Date keeps them). */
  signalMs: Float64Array;
  modelVersion: Array<string | null>;
  isWarmup: Uint8Array;
  side: string[];
  executionPrice: Float64Array;
  executionQuantity: Float64Array;
  executionFees: Float64Array;
  executedMs: Float64Array;
  isPartialFill: Uint8Array;
  values: Float64Array;
  /** Null when every row of the batch has its values in `values`. */
  snapshots: Array<Record<string, unknown> | undefined> | null;
}

function emptyColumns(capacity: number, paths: readonly (readonly string[])[], types: readonly SnapshotValueType[]): TrainingColumns {
  return {
    length: 0,
    paths,
    types,
    asset: [],
    signalType: [],
    signalMs: new Float64Array(capacity),
    modelVersion: [],
    isWarmup: new Uint8Array(capacity),
    side: [],
    executionPrice: new Float64Array(capacity),
    executionQuantity: new Float64Array(capacity),
    executionFees: new Float64Array(capacity),
    executedMs: new Float64Array(capacity),
    isPartialFill: new Uint8Array(capacity),
    values: new Float64Array(capacity * paths.length),
    snapshots: null,
  };
}

/**
 * Turns the tuples of `buildTrainingCopySql`'s binary COPY into batches of `TrainingColumns` of `batchSize`
 * rows: `full` lists the batches filled so far (take them with `takeFull`), `finish` gives the last one.
 */
export class TrainingColumnsDecoder {
  full: TrainingColumns[] = [];
  private current: TrainingColumns;
  private readonly types: readonly SnapshotValueType[];
  private readonly assets = new TextCache();
  private readonly signalTypes = new TextCache();
  private readonly sides = new TextCache();
  private readonly models = new TextCache();

  constructor(
    private readonly paths: readonly (readonly string[])[],
    private readonly layout: FeatureValuesLayout | null,
    private readonly batchSize: number,
  ) {
    this.types = layout?.types ?? paths.map(() => 'float8' as const);
    this.current = emptyColumns(batchSize, paths, this.types);
  }

  readonly onTuple = (buf: Buffer, f: Int32Array, count: number): void => {
    if (count !== FIELDS) throw new Error(`training rows: expected ${FIELDS} columns, got ${count}`);
    const c = this.current;
    const i = c.length;
    c.asset.push(this.assets.text(buf, f[0], required(f[1], 'asset')));
    c.signalType.push(this.signalTypes.text(buf, f[2], required(f[3], 'signal_type')) as 'buy' | 'sell');
    c.signalMs[i] = timestampMs(buf, f[4], f[5]);
    c.modelVersion.push(f[7] === -1 ? null : this.models.text(buf, f[6], f[7]));
    c.isWarmup[i] = bool(buf, f[8], f[9]);
    c.side.push(this.sides.text(buf, f[10], required(f[11], 'side')));
    c.executionPrice[i] = numeric(buf, f, 6, 'execution_price');
    c.executionQuantity[i] = numeric(buf, f, 8, 'execution_quantity');
    c.executionFees[i] = numeric(buf, f, 10, 'execution_fees');
    c.executedMs[i] = timestampMs(buf, f[24], f[25]);
    c.isPartialFill[i] = bool(buf, f[26], f[27]);
    const np = this.paths.length;
    const len = f[29];
    if (len !== -1) {
      if (!this.layout || len !== 8 * np) throw new Error('training rows: extracted snapshot values do not match their layout');
      const start = f[28];
      for (let k = 0; k < np; k++) c.values[i * np + k] = buf.readDoubleBE(start + 8 * k);
    } else {
      c.values.fill(Number.NaN, i * np, (i + 1) * np);
      (c.snapshots ??= new Array<Record<string, unknown> | undefined>(this.batchSize))[i] = this.fromJson(buf, f[30], f[31]);
    }
    c.length = i + 1;
    if (c.length === this.batchSize) {
      this.full.push(c);
      this.current = emptyColumns(this.batchSize, this.paths, this.types);
    }
  };

  takeFull(): TrainingColumns[] {
    const full = this.full;
    this.full = [];
    return full;
  }

  /** The rows after the last full batch (null when none). */
  finish(): TrainingColumns | null {
    const c = this.current;
    if (c.length === 0) return null;
    this.current = emptyColumns(0, this.paths, this.types);
    return c;
  }

  private fromJson(buf: Buffer, start: number, len: number): Record<string, unknown> {
    return snapshotAtPaths(this.paths, JSON.parse(buf.toString('utf8', start, start + required(len, 'snapshot values'))) as unknown[]);
  }
}

/** The rows of a batch as TrainingRow objects (snapshots rebuilt with the non-null values at their paths). */
export function trainingRowsOf(c: TrainingColumns): TrainingRow[] {
  const np = c.paths.length;
  const rows = new Array<TrainingRow>(c.length);
  for (let i = 0; i < c.length; i++) {
    const snapshot =
      c.snapshots?.[i] ??
      snapshotAtPaths(
        c.paths,
        c.paths.map((_, k) => {
          const x = c.values[i * np + k];
          return x !== x ? null : c.types[k] === 'boolean' ? x === 1 : x;
        }),
      );
    rows[i] = {
      asset: c.asset[i],
      signalType: c.signalType[i],
      signalTimestamp: new Date(c.signalMs[i]),
      modelVersion: c.modelVersion[i],
      isWarmup: c.isWarmup[i] === 1,
      side: c.side[i],
      executionPrice: c.executionPrice[i],
      executionQuantity: c.executionQuantity[i],
      executionFees: c.executionFees[i],
      executedAt: new Date(c.executedMs[i]),
      isPartialFill: c.isPartialFill[i] === 1,
      marketDataSnapshot: snapshot,
    };
  }
  return rows;
}

/**
 * Rows held in memory as a batch of columns, the snapshot values encoded as the database column holds them:
 * in `values` when every value at `paths` is a number or absent / null (a boolean path: a boolean or absent /
 * null), else the restricted snapshot in `snapshots`. For sources that are not the database (tests, tools).
 */
export function trainingColumnsOf(rows: readonly TrainingRow[], paths: readonly (readonly string[])[], types: readonly SnapshotValueType[]): TrainingColumns {
  const c = emptyColumns(rows.length, paths, types);
  const np = paths.length;
  rows.forEach((r, i) => {
    c.asset.push(r.asset);
    c.signalType.push(r.signalType);
    c.signalMs[i] = r.signalTimestamp.getTime();
    c.modelVersion.push(r.modelVersion);
    c.isWarmup[i] = r.isWarmup ? 1 : 0;
    c.side.push(r.side);
    c.executionPrice[i] = r.executionPrice;
    c.executionQuantity[i] = r.executionQuantity;
    c.executionFees[i] = r.executionFees;
    c.executedMs[i] = r.executedAt.getTime();
    c.isPartialFill[i] = r.isPartialFill ? 1 : 0;
    const found = paths.map((path) => atPath(r.marketDataSnapshot, path));
    const encoded = found.map((v, k) => {
      if (v === null || v === undefined) return Number.NaN;
      if (types[k] === 'boolean') return typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    });
    if (encoded.every((v) => v !== undefined)) {
      encoded.forEach((v, k) => (c.values[i * np + k] = v as number));
    } else {
      c.values.fill(Number.NaN, i * np, (i + 1) * np);
      (c.snapshots ??= new Array<Record<string, unknown> | undefined>(rows.length))[i] = snapshotAtPaths(paths, found);
    }
  });
  c.length = rows.length;
  return c;
}

/** PostgreSQL's `->` chain in JS: the value when every parent is an object (not an array) holding the key. */
function atPath(doc: unknown, path: readonly string[]): unknown {
  let v = doc;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Field `k` (float8) of a numeric column of `asFloat8`, or field k + 1 (its text) when that one is NULL. */
function numeric(buf: Buffer, f: Int32Array, k: number, column: string): number {
  if (f[2 * k + 1] === 8) return buf.readDoubleBE(f[2 * k]);
  const start = f[2 * k + 2];
  return parseRequiredNumeric(buf.toString('latin1', start, start + required(f[2 * k + 3], column)));
}

function required(len: number, column: string): number {
  if (len === -1) throw new TypeError(`training rows: ${column} is null`);
  return len;
}

function bool(buf: Buffer, start: number, len: number): number {
  if (len !== 1) throw new TypeError('training rows: boolean expected');
  return buf[start] !== 0 ? 1 : 0;
}

/** Epoch ms (floored) of a binary timestamptz: int64 microseconds since 2000-01-01 UTC. */
export function timestampMs(buf: Buffer, start: number, len: number): number {
  if (len !== 8) throw new TypeError('training rows: timestamp expected');
  const us = buf.readInt32BE(start) * 4_294_967_296 + buf.readUInt32BE(start + 4);
  // ±infinity, or so far from 2000 that a double cannot hold its microseconds.
  if (!Number.isSafeInteger(us)) throw new TypeError('training rows: timestamp out of range');
  let ms = Math.floor(us / 1000);
  if (ms * 1000 > us) ms--;
  else if ((ms + 1) * 1000 <= us) ms++;
  return ms + PG_EPOCH_MS;
}

/** The last value of a text column, reused while the next ones have the same bytes (assets, sides repeat). */
class TextCache {
  private readonly bytes = Buffer.alloc(64);
  private len = -1;
  private value = '';

  text(buf: Buffer, start: number, len: number): string {
    if (len === this.len && this.same(buf, start, len)) return this.value;
    const value = buf.toString('utf8', start, start + len);
    if (len <= this.bytes.length) {
      buf.copy(this.bytes, 0, start, start + len);
      this.len = len;
      this.value = value;
    }
    return value;
  }

  /** A byte loop: for a few bytes, cheaper than Buffer#compare's native call. */
  private same(buf: Buffer, start: number, len: number): boolean {
    const bytes = this.bytes;
    for (let k = 0; k < len; k++) if (buf[start + k] !== bytes[k]) return false;
    return true;
  }
}

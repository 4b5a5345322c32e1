import type { SnapshotInput } from './snapshot-input';

/**
 * Every value of a market-data snapshot that the feature pipeline reads (plus `price`, which the trainer also
 * uses to mark executions to market), as JSON paths. A dataset reader may fetch only these values (e.g.
 * PostgreSQL's `market_data_snapshot #> path`) and rebuild the snapshot with `snapshotFromValues`: the features
 * are exactly those of the whole snapshot. snapshot-fields.spec.ts checks that on random and malformed
 * snapshots, so a feature that reads a new field fails there until its path is listed here.
 */
export const SNAPSHOT_FEATURE_PATHS: readonly (readonly string[])[] = Object.freeze([
  ['price'],
  ['spread'],
  ['volume_24h'],
  ['volatility'],
  ['orderbook_depth', 'bid_depth'],
  ['orderbook_depth', 'ask_depth'],
  ['orderbook_depth', 'imbalance'],
  ['technical_indicators', 'return_1'],
  ['technical_indicators', 'return_5'],
  ['technical_indicators', 'return_15'],
  ['technical_indicators', 'rsi_14'],
  ['technical_indicators', 'ema_ratio'],
  ['technical_indicators', 'atr_pct'],
  ['technical_indicators', 'bollinger_pctb'],
  ['technical_indicators', 'volume_zscore'],
  ['open_orders_count'],
  ['position_size_norm'],
  ['has_position'],
]);

/** How each value of SNAPSHOT_FEATURE_PATHS is held as a number (see SnapshotView): `has_position` is a boolean. */
export const SNAPSHOT_FEATURE_TYPES: readonly SnapshotValueType[] = Object.freeze(
  SNAPSHOT_FEATURE_PATHS.map((path): SnapshotValueType => (path.length === 1 && path[0] === 'has_position' ? 'boolean' : 'float8')),
);

/**
 * The snapshot holding `values[offset + i]` at `paths[i]`. A null or undefined value (absent, JSON null, or a
 * parent that is not an object) is left out: the pipeline treats absent and null alike.
 */
export function snapshotAtPaths(paths: readonly (readonly string[])[], values: ArrayLike<unknown>, offset = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < paths.length; i++) {
    const v = values[offset + i];
    if (v === null || v === undefined) continue;
    const path = paths[i];
    let parent = out;
    for (let k = 0; k < path.length - 1; k++) parent = (parent[path[k]] ??= {}) as Record<string, unknown>;
    parent[path[path.length - 1]] = v;
  }
  return out;
}

/** `snapshotAtPaths` of SNAPSHOT_FEATURE_PATHS. */
export function snapshotFromValues(values: ArrayLike<unknown>, offset = 0): SnapshotInput {
  return snapshotAtPaths(SNAPSHOT_FEATURE_PATHS, values, offset) as SnapshotInput;
}

/** How a snapshot value is held as a number: the number itself, or a boolean as 1 / 0 (NaN: absent or null). */
export type SnapshotValueType = 'float8' | 'boolean';

/**
 * One snapshot object reused row after row for values held as numbers (e.g. a column of float8 per path):
 * `load` sets the value at each path (NaN: absent), with no allocation per row. Every parent object stays in
 * place with absent leaves, which the pipeline reads exactly as an absent parent: the features are those of
 * `snapshotFromValues` on the same values (snapshot-fields.spec checks it). The object is overwritten by the
 * next `load`: use it before loading the next row.
 */
export class SnapshotView {
  private readonly root: Record<string, unknown> = {};
  private readonly parents: Record<string, unknown>[] = [];
  private readonly keys: string[] = [];
  private readonly booleans: Uint8Array;

  constructor(
    readonly paths: readonly (readonly string[])[],
    types: readonly SnapshotValueType[],
  ) {
    if (types.length !== paths.length) throw new RangeError('SnapshotView: one type per path');
    this.booleans = Uint8Array.from(types, (t) => (t === 'boolean' ? 1 : 0));
    const isPrefix = (a: readonly string[], b: readonly string[]): boolean => a.length <= b.length && a.every((key, k) => key === b[k]);
    for (const path of paths) {
      if (path.length === 0 || paths.some((other) => other !== path && isPrefix(path, other))) {
        throw new RangeError(`SnapshotView: ${JSON.stringify(path)} is empty, repeated or holds another path`);
      }
      let parent = this.root;
      for (let k = 0; k < path.length - 1; k++) parent = (parent[path[k]] ??= {}) as Record<string, unknown>;
      parent[path[path.length - 1]] = undefined;
      this.parents.push(parent);
      this.keys.push(path[path.length - 1]);
    }
  }

  load(values: ArrayLike<number>, offset = 0): SnapshotInput {
    for (let i = 0; i < this.keys.length; i++) {
      const x = values[offset + i];
      this.parents[i][this.keys[i]] = x !== x ? undefined : this.booleans[i] === 1 ? x === 1 : x;
    }
    return this.root as SnapshotInput;
  }
}

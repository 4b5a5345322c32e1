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

/**
 * The snapshot holding `values[offset + i]` at `SNAPSHOT_FEATURE_PATHS[i]`. A null or undefined value (absent,
 * JSON null, or a parent that is not an object) is left out: the pipeline treats absent and null alike.
 */
export function snapshotFromValues(values: ArrayLike<unknown>, offset = 0): SnapshotInput {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < SNAPSHOT_FEATURE_PATHS.length; i++) {
    const v = values[offset + i];
    if (v === null || v === undefined) continue;
    const path = SNAPSHOT_FEATURE_PATHS[i];
    let parent = out;
    for (let k = 0; k < path.length - 1; k++) parent = (parent[path[k]] ??= {}) as Record<string, unknown>;
    parent[path[path.length - 1]] = v;
  }
  return out as SnapshotInput;
}

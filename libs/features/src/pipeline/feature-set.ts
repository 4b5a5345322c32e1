/**
 * Feature set `fs-1`: the named, ordered features `buildFeatures` emits. Changing the order, a name
 * or a definition requires a new FEATURE_SET_VERSION: models store the version and the names, and a
 * model whose feature set differs from the running code must be refused.
 *
 * Raw (un-normalised) definitions:
 * - `side`: +1 for buy, -1 for sell.
 * - `return_1|5|15`, `rsi_14`, `ema_ratio`, `atr_pct`, `bollinger_pctb`, `volume_zscore`: copied from
 *   `snapshot.technical_indicators` (see `TechnicalIndicators` for their definitions).
 * - `volatility`: `snapshot.volatility` (per-candle σ of log returns).
 * - `spread_bps`: spread / price × 10,000 (needs price > 0 and spread ≥ 0).
 * - `log_volume_24h`: ln(1 + volume_24h) (needs volume ≥ 0).
 * - `depth_imbalance`: (bid - ask) / (bid + ask) from `orderbook_depth`, in [-1, 1]; the snapshot's own
 *   `imbalance` is used only when the depths are absent.
 * - `log_open_orders`: ln(1 + open_orders_count) (count ≥ 0).
 * - `position_size_norm`, `has_position` (1/0; derived from position_size_norm > 0 when absent).
 * - `side_x_*`: side × a centred momentum / state term, so one classifier can score both sides:
 *   returns and ema_ratio as is, (rsi - 50) / 50, (%b - 0.5), depth imbalance, position size.
 * - `hour_sin/cos`: time of day (UTC, fractional hours) on the unit circle; `dow_sin/cos`: the same for
 *   the position in the week (continuous, UTC).
 *
 * Missing values: every nullable input has a `<name>_missing` flag (1 = missing, 0 = present) and its
 * raw value is then 0. Interactions share the flag of the input they are built from
 * (`FEATURE_MISSING_FLAG`). The normaliser fits mean/std only on rows where a value is present and
 * maps a missing value to 0 (= the training mean). No feature is ever NaN or infinite.
 *
 * Deliberately absent: the raw price, ATR in price units and absolute depths (not comparable across
 * assets or time), and anything known only after the decision (execution price, market_conditions,
 * performance).
 */
export const FEATURE_SET_VERSION = 'fs-1';

const SPEC: readonly (readonly [name: string, missingFlag?: string])[] = [
  ['side'],
  ['return_1'],
  ['return_1_missing'],
  ['return_5'],
  ['return_5_missing'],
  ['return_15'],
  ['return_15_missing'],
  ['rsi_14'],
  ['rsi_14_missing'],
  ['ema_ratio'],
  ['ema_ratio_missing'],
  ['atr_pct'],
  ['atr_pct_missing'],
  ['bollinger_pctb'],
  ['bollinger_pctb_missing'],
  ['volume_zscore'],
  ['volume_zscore_missing'],
  ['volatility'],
  ['volatility_missing'],
  ['spread_bps'],
  ['spread_bps_missing'],
  ['log_volume_24h'],
  ['log_volume_24h_missing'],
  ['depth_imbalance'],
  ['depth_imbalance_missing'],
  ['log_open_orders'],
  ['log_open_orders_missing'],
  ['position_size_norm'],
  ['position_size_norm_missing'],
  ['has_position'],
  ['has_position_missing'],
  ['side_x_return_1', 'return_1_missing'],
  ['side_x_return_5', 'return_5_missing'],
  ['side_x_return_15', 'return_15_missing'],
  ['side_x_ema_ratio', 'ema_ratio_missing'],
  ['side_x_rsi', 'rsi_14_missing'],
  ['side_x_bollinger', 'bollinger_pctb_missing'],
  ['side_x_depth_imbalance', 'depth_imbalance_missing'],
  ['side_x_position', 'position_size_norm_missing'],
  ['hour_sin'],
  ['hour_cos'],
  ['dow_sin'],
  ['dow_cos'],
];

export const FEATURE_NAMES: readonly string[] = Object.freeze(SPEC.map(([name]) => name));

export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * For each feature of `names`, the index of the flag saying it is missing, or -1. Uses the fs-1
 * pairs for fs-1 names and the `<name>_missing` convention for any other name.
 */
export function missingFlagIndices(names: readonly string[]): Int32Array {
  const position = new Map(names.map((n, i) => [n, i] as const));
  const declared = new Map(SPEC.filter(([, flag]) => flag !== undefined).map(([n, flag]) => [n, flag as string]));
  const out = new Int32Array(names.length);
  names.forEach((name, i) => {
    const flag = declared.get(name) ?? `${name}_missing`;
    out[i] = position.get(flag) ?? -1;
  });
  return out;
}

/** Index of each fs-1 feature by name, for code that writes the vector. */
export const FEATURE_INDEX: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])),
);

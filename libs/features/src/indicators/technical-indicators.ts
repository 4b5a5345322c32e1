/** One kline (candle). `start` is the candle's open time in epoch milliseconds. */
export type Candle = {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  start: number;
};

/**
 * The indicators the market-data cache puts into `market_data_snapshot.technical_indicators`.
 * A type alias (not an interface) so it is assignable to `Record<string, number | null>`.
 * Every value is `null` until enough candles have been seen. Key names are fixed whatever periods
 * are configured: the feature pipeline reads them by name.
 *
 * - `return_1`, `return_5`, `return_15`: LOG returns ln(close_t / close_{t-h}) over h candles.
 * - `rsi_14`: Wilder RSI, 0..100 (50 when the market did not move at all over the seed period).
 * - `ema_ratio`: EMA(fast) / EMA(slow) - 1 (EMAs seeded with the SMA of their first `period` closes).
 * - `atr_14`: Wilder ATR in price units; `atr_pct` = atr_14 / close × 100 (percent of price).
 * - `bollinger_pctb`: (close - lower) / (upper - lower) for SMA(20) ± 2 population σ; 0.5 when σ = 0.
 * - `volume_zscore`: (volume - mean) / population σ over the last 20 volumes (current included);
 *   0 when σ = 0.
 * - `volatility`: sample standard deviation (n - 1) of the 1-candle log returns inside the window
 *   (at most window - 1 returns), per candle, not annualised; needs at least 2 returns.
 * - `candles`: number of candles currently in the window (≤ window).
 */
export type TechnicalIndicators = {
  return_1: number | null;
  return_5: number | null;
  return_15: number | null;
  rsi_14: number | null;
  ema_ratio: number | null;
  atr_14: number | null;
  atr_pct: number | null;
  bollinger_pctb: number | null;
  volume_zscore: number | null;
  volatility: number | null;
  candles: number;
};

export const TECHNICAL_INDICATOR_KEYS: readonly (keyof TechnicalIndicators)[] = [
  'return_1',
  'return_5',
  'return_15',
  'rsi_14',
  'ema_ratio',
  'atr_14',
  'atr_pct',
  'bollinger_pctb',
  'volume_zscore',
  'volatility',
  'candles',
];

/** Horizons (in candles) of `return_1`, `return_5`, `return_15`. */
export const RETURN_HORIZONS = [1, 5, 15] as const;

export type IndicatorOptions = {
  /** Candles kept (returns look-back and volatility window). Default 50, at least 16. */
  window?: number;
  rsiPeriod?: number;
  emaFast?: number;
  emaSlow?: number;
  atrPeriod?: number;
  bbPeriod?: number;
  /** Width of the Bollinger band in standard deviations. Default 2. */
  bbStdDevs?: number;
  /** Volumes in the volume z-score. Default 20. */
  volumePeriod?: number;
};

export type ResolvedIndicatorOptions = Required<IndicatorOptions>;

export const INDICATOR_DEFAULTS: Readonly<ResolvedIndicatorOptions> = Object.freeze({
  window: 50,
  rsiPeriod: 14,
  emaFast: 12,
  emaSlow: 26,
  atrPeriod: 14,
  bbPeriod: 20,
  bbStdDevs: 2,
  volumePeriod: 20,
});

/** Fills defaults and rejects inconsistent options with a RangeError naming the option. */
export function resolveIndicatorOptions(opts: IndicatorOptions = {}): ResolvedIndicatorOptions {
  const o: ResolvedIndicatorOptions = { ...INDICATOR_DEFAULTS };
  for (const key of Object.keys(INDICATOR_DEFAULTS) as (keyof ResolvedIndicatorOptions)[]) {
    const v = opts[key];
    if (v !== undefined) o[key] = v;
  }
  const integers: [keyof ResolvedIndicatorOptions, number][] = [
    ['window', RETURN_HORIZONS[RETURN_HORIZONS.length - 1] + 1],
    ['rsiPeriod', 1],
    ['emaFast', 1],
    ['emaSlow', 2],
    ['atrPeriod', 1],
    ['bbPeriod', 2],
    ['volumePeriod', 2],
  ];
  for (const [key, min] of integers) {
    if (!Number.isInteger(o[key]) || o[key] < min) {
      throw new RangeError(`indicator option ${key} must be an integer >= ${min}, got ${o[key]}`);
    }
  }
  if (o.emaFast >= o.emaSlow) {
    throw new RangeError(`indicator option emaFast (${o.emaFast}) must be < emaSlow (${o.emaSlow})`);
  }
  if (o.bbPeriod > o.window || o.volumePeriod > o.window) {
    throw new RangeError(`indicator option window (${o.window}) must be >= bbPeriod and volumePeriod`);
  }
  if (!(Number.isFinite(o.bbStdDevs) && o.bbStdDevs > 0)) {
    throw new RangeError(`indicator option bbStdDevs must be > 0, got ${o.bbStdDevs}`);
  }
  return o;
}

/** Throws a RangeError when a candle cannot be used (non-finite numbers, close ≤ 0, high < low, volume < 0). */
export function assertValidCandle(c: Candle): void {
  const fields: (keyof Candle)[] = ['open', 'high', 'low', 'close', 'volume', 'start'];
  for (const f of fields) {
    if (typeof c[f] !== 'number' || !Number.isFinite(c[f])) {
      throw new RangeError(`candle.${f} must be a finite number, got ${String(c[f])}`);
    }
  }
  if (c.close <= 0) throw new RangeError(`candle.close must be > 0, got ${c.close}`);
  if (c.high < c.low) throw new RangeError(`candle.high (${c.high}) must be >= candle.low (${c.low})`);
  if (c.volume < 0) throw new RangeError(`candle.volume must be >= 0, got ${c.volume}`);
}

import { abs, max } from '../internal/fast-math';

/**
 * The closed-form last step of each indicator, shared by the incremental `IndicatorState` and the
 * naive reference used in tests, so both agree on the edge conventions documented in
 * `TechnicalIndicators`.
 */

/** Wilder RSI from the smoothed average gain and loss: 100 when only gains, 50 when flat. */
export function rsiFromAverages(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  return 100 - 100 / (1 + avgGain / avgLoss);
}

/** Bollinger %b for a band of `k` standard deviations; 0.5 when the band has zero width. */
export function percentB(close: number, mean: number, std: number, k: number): number {
  if (!(std > 0)) return 0.5;
  const lower = mean - k * std;
  return (close - lower) / (2 * k * std);
}

/** Standard score; 0 when there is no dispersion. */
export function zScore(x: number, mean: number, std: number): number {
  if (!(std > 0)) return 0;
  return (x - mean) / std;
}

/** True range of a candle given the previous close. */
export function trueRange(high: number, low: number, prevClose: number): number {
  return max(high - low, abs(high - prevClose), abs(low - prevClose));
}

import { percentB, rsiFromAverages, trueRange, zScore } from './indicator-formulas';
import {
  Candle,
  IndicatorOptions,
  resolveIndicatorOptions,
  RETURN_HORIZONS,
  TechnicalIndicators,
} from './technical-indicators';

/**
 * Naive reference for `IndicatorState`: recomputes every indicator from scratch from the full list
 * of candles (oldest first, distinct starts), with two-pass means and variances over explicit
 * slices. O(n) per call, for tests only.
 */
export function naiveIndicators(candles: readonly Candle[], opts?: IndicatorOptions): TechnicalIndicators {
  const o = resolveIndicatorOptions(opts);
  const n = candles.length;
  const win = candles.slice(Math.max(0, n - o.window));
  const closes = win.map((c) => c.close);
  const close = closes[closes.length - 1];

  const ret = (h: number): number | null =>
    closes.length > h ? Math.log(close / closes[closes.length - 1 - h]) : null;

  // Recursive indicators over the whole history, exactly as their textbook definitions.
  const emaFast = ema(candles, o.emaFast);
  const emaSlow = ema(candles, o.emaSlow);
  const gains: number[] = [];
  const losses: number[] = [];
  const trs: number[] = [];
  for (let i = 1; i < n; i++) {
    const change = candles[i].close - candles[i - 1].close;
    gains.push(Math.max(change, 0));
    losses.push(Math.max(-change, 0));
    trs.push(trueRange(candles[i].high, candles[i].low, candles[i - 1].close));
  }
  const avgGain = wilder(gains, o.rsiPeriod);
  const avgLoss = wilder(losses, o.rsiPeriod);
  const atr = wilder(trs, o.atrPeriod);

  const bb = closes.slice(-o.bbPeriod);
  const vols = win.map((c) => c.volume).slice(-o.volumePeriod);
  const logReturns: number[] = [];
  for (let i = 1; i < closes.length; i++) logReturns.push(Math.log(closes[i] / closes[i - 1]));

  return {
    return_1: ret(RETURN_HORIZONS[0]),
    return_5: ret(RETURN_HORIZONS[1]),
    return_15: ret(RETURN_HORIZONS[2]),
    rsi_14: avgGain === null || avgLoss === null ? null : rsiFromAverages(avgGain, avgLoss),
    ema_ratio: emaFast === null || emaSlow === null ? null : emaFast / emaSlow - 1,
    atr_14: atr,
    atr_pct: atr === null ? null : (atr / close) * 100,
    bollinger_pctb:
      bb.length === o.bbPeriod ? percentB(close, mean(bb), Math.sqrt(variance(bb, 0)), o.bbStdDevs) : null,
    volume_zscore:
      vols.length === o.volumePeriod ? zScore(vols[vols.length - 1], mean(vols), Math.sqrt(variance(vols, 0))) : null,
    volatility: logReturns.length >= 2 ? Math.sqrt(variance(logReturns, 1)) : null,
    candles: win.length,
  };
}

function ema(candles: readonly Candle[], period: number): number | null {
  if (candles.length < period) return null;
  let seed = 0;
  for (let i = 0; i < period; i++) seed += candles[i].close;
  let value = seed / period;
  const alpha = 2 / (period + 1);
  for (let i = period; i < candles.length; i++) value += alpha * (candles[i].close - value);
  return value;
}

function wilder(xs: readonly number[], period: number): number | null {
  if (xs.length < period) return null;
  let seed = 0;
  for (let i = 0; i < period; i++) seed += xs[i];
  let value = seed / period;
  for (let i = period; i < xs.length; i++) value = (value * (period - 1) + xs[i]) / period;
  return value;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function variance(xs: readonly number[], ddof: 0 | 1): number {
  // A constant slice has no dispersion; the two-pass formula would leave rounding dust there.
  if (xs.every((x) => x === xs[0])) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - ddof);
}

import { log, NAN, numberIsNaN } from '../internal/fast-math';
import { percentB, rsiFromAverages, trueRange, zScore } from './indicator-formulas';
import { SlidingWindowStats } from './sliding-window-stats';
import {
  assertValidCandle,
  Candle,
  IndicatorOptions,
  resolveIndicatorOptions,
  ResolvedIndicatorOptions,
  TechnicalIndicators,
} from './technical-indicators';

/** What `update` did with a candle. */
export type CandleUpdate = 'appended' | 'replaced' | 'ignored';

/**
 * Incremental technical indicators for one asset and interval: O(1) work and no allocation per
 * candle, whatever the window.
 *
 * Feeding rules:
 * - Candles arrive in `start` order. A candle with the same `start` as the newest one REPLACES it
 *   (Bybit sends the open kline repeatedly with `confirm: false`; feeding those is allowed and the
 *   final confirmed version wins). A candle older than the newest is ignored (`'ignored'`).
 * - Gaps (missing klines) are not filled: the next candle is simply the next data point.
 * - An invalid candle (non-finite numbers, close ≤ 0, high < low, negative volume) throws a
 *   RangeError and leaves the state untouched.
 *
 * Recursive indicators (EMA, Wilder RSI/ATR) carry their whole history as the textbook definitions
 * do; windowed ones (returns, Bollinger, volume z-score, volatility) use ring buffers with running
 * sums (`SlidingWindowStats`). See `TechnicalIndicators` for the definitions and conventions.
 */
export class IndicatorState {
  readonly options: Readonly<ResolvedIndicatorOptions>;
  private readonly closes: SlidingWindowStats;
  private readonly bbCloses: SlidingWindowStats;
  private readonly volumes: SlidingWindowStats;
  private readonly logReturns: SlidingWindowStats;
  private readonly emaFastAlpha: number;
  private readonly emaSlowAlpha: number;
  /** Recursive state after the newest candle, and before it (to replace the newest in O(1)). */
  private rec = new RecursiveState();
  private recBefore = new RecursiveState();
  private newestStart = NAN;

  constructor(opts?: IndicatorOptions) {
    const o = resolveIndicatorOptions(opts);
    this.options = Object.freeze(o);
    this.closes = new SlidingWindowStats(o.window);
    this.bbCloses = new SlidingWindowStats(o.bbPeriod);
    this.volumes = new SlidingWindowStats(o.volumePeriod);
    this.logReturns = new SlidingWindowStats(o.window - 1);
    this.emaFastAlpha = 2 / (o.emaFast + 1);
    this.emaSlowAlpha = 2 / (o.emaSlow + 1);
  }

  /** Candles currently in the window. */
  get candleCount(): number {
    return this.closes.size;
  }

  /** Start time of the newest candle, or null before the first. */
  get lastStart(): number | null {
    return this.closes.size === 0 ? null : this.newestStart;
  }

  /** Close of the newest candle, or null before the first. */
  get lastClose(): number | null {
    return this.closes.size === 0 ? null : this.closes.at(0);
  }

  update(candle: Candle): CandleUpdate {
    assertValidCandle(candle);
    const { close, volume } = candle;
    if (this.closes.size > 0 && candle.start === this.newestStart) {
      const prevClose = this.closes.size > 1 ? this.closes.at(1) : NAN;
      this.feedWindows('replaceLast', close, volume, prevClose);
      this.rec.copyFrom(this.recBefore);
      this.applyRecursive(candle, prevClose);
      return 'replaced';
    }
    if (this.closes.size > 0 && candle.start < this.newestStart) return 'ignored';

    const prevClose = this.closes.size > 0 ? this.closes.at(0) : NAN;
    this.feedWindows('push', close, volume, prevClose);
    this.recBefore.copyFrom(this.rec);
    this.applyRecursive(candle, prevClose);
    this.newestStart = candle.start;
    return 'appended';
  }

  snapshot(): TechnicalIndicators {
    const o = this.options;
    const n = this.closes.size;
    const close = n > 0 ? this.closes.at(0) : NAN;
    const r = this.rec;
    const atr = numberIsNaN(r.atr) ? null : r.atr;
    let bollinger: number | null = null;
    if (this.bbCloses.full) {
      bollinger = percentB(close, this.bbCloses.mean(), this.bbCloses.std(0), o.bbStdDevs);
    }
    let volumeZ: number | null = null;
    if (this.volumes.full) {
      volumeZ = zScore(this.volumes.at(0), this.volumes.mean(), this.volumes.std(0));
    }
    return {
      return_1: this.logReturn(1),
      return_5: this.logReturn(5),
      return_15: this.logReturn(15),
      rsi_14: numberIsNaN(r.avgGain) ? null : rsiFromAverages(r.avgGain, r.avgLoss),
      ema_ratio: numberIsNaN(r.emaSlow) ? null : r.emaFast / r.emaSlow - 1,
      atr_14: atr,
      atr_pct: atr === null ? null : (atr / close) * 100,
      bollinger_pctb: bollinger,
      volume_zscore: volumeZ,
      volatility: this.logReturns.size >= 2 ? this.logReturns.std(1) : null,
      candles: n,
    };
  }

  /** Adds the candle to every window (`push`), or puts it in place of the newest (`replaceLast`). */
  private feedWindows(op: 'push' | 'replaceLast', close: number, volume: number, prevClose: number): void {
    this.closes[op](close);
    this.bbCloses[op](close);
    this.volumes[op](volume);
    if (!numberIsNaN(prevClose)) this.logReturns[op](log(close / prevClose));
  }

  private logReturn(h: number): number | null {
    if (this.closes.size <= h) return null;
    return log(this.closes.at(0) / this.closes.at(h));
  }

  private applyRecursive(c: Candle, prevClose: number): void {
    const o = this.options;
    const r = this.rec;
    const close = c.close;
    r.candles += 1;

    if (r.candles <= o.emaFast) {
      r.emaFastSeed += close;
      if (r.candles === o.emaFast) r.emaFast = r.emaFastSeed / o.emaFast;
    } else {
      r.emaFast += this.emaFastAlpha * (close - r.emaFast);
    }
    if (r.candles <= o.emaSlow) {
      r.emaSlowSeed += close;
      if (r.candles === o.emaSlow) r.emaSlow = r.emaSlowSeed / o.emaSlow;
    } else {
      r.emaSlow += this.emaSlowAlpha * (close - r.emaSlow);
    }

    if (numberIsNaN(prevClose)) return;
    // RSI and ATR start with the second candle: both need the previous close.
    const change = close - prevClose;
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    const tr = trueRange(c.high, c.low, prevClose);
    r.moves += 1;

    if (r.moves <= o.rsiPeriod) {
      r.gainSeed += gain;
      r.lossSeed += loss;
      if (r.moves === o.rsiPeriod) {
        r.avgGain = r.gainSeed / o.rsiPeriod;
        r.avgLoss = r.lossSeed / o.rsiPeriod;
      }
    } else {
      r.avgGain = (r.avgGain * (o.rsiPeriod - 1) + gain) / o.rsiPeriod;
      r.avgLoss = (r.avgLoss * (o.rsiPeriod - 1) + loss) / o.rsiPeriod;
    }

    if (r.moves <= o.atrPeriod) {
      r.trSeed += tr;
      if (r.moves === o.atrPeriod) r.atr = r.trSeed / o.atrPeriod;
    } else {
      r.atr = (r.atr * (o.atrPeriod - 1) + tr) / o.atrPeriod;
    }
  }
}

/** Scalars of the recursive indicators; NaN means "not seeded yet". */
class RecursiveState {
  candles = 0;
  moves = 0;
  emaFastSeed = 0;
  emaFast = NAN;
  emaSlowSeed = 0;
  emaSlow = NAN;
  gainSeed = 0;
  lossSeed = 0;
  avgGain = NAN;
  avgLoss = NAN;
  trSeed = 0;
  atr = NAN;

  copyFrom(o: RecursiveState): void {
    Object.assign(this, o);
  }
}

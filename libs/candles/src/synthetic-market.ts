import { SimCandle } from './sim-candle';
import { assetSeed, SeededRandom } from './seeded-random';

/** Starting price, per-candle volatility (σ of log returns) and typical base volume per candle. */
export interface AssetProfile {
  price: number;
  sigma: number;
  volume: number;
}

const PROFILES: Record<string, AssetProfile> = {
  BTCUSDT: { price: 60_000, sigma: 0.0009, volume: 25 },
  ETHUSDT: { price: 3_000, sigma: 0.0012, volume: 400 },
  SOLUSDT: { price: 150, sigma: 0.0016, volume: 6_000 },
};
const GENERIC: AssetProfile = { price: 100, sigma: 0.0018, volume: 10_000 };

export function assetProfile(symbol: string): AssetProfile {
  return PROFILES[symbol] ?? GENERIC;
}

/** Volatility regimes: calm, normal, stormy (σ multipliers). */
const VOL_REGIMES = [0.6, 1, 1.8] as const;
/** Per-candle chance of leaving the current regime. */
const VOL_SWITCH = 0.004;
const TREND_SWITCH = 0.003;
/** Persistence of the short-horizon drift (per candle). */
const DRIFT_PERSISTENCE = 0.96;
/** σ of the drift's innovation, in units of σ. */
const DRIFT_NOISE = 0.13;
/** Chance of a volume spike (news) per candle, and the drift kick it gives, in units of σ. */
const SPIKE_CHANCE = 0.015;
const SPIKE_KICK = 1.2;
/** Slow trend drift in units of σ per candle; mean-reversion pull per candle in a range regime. */
const TREND_DRIFT = 0.08;
const REVERSION = 0.02;
/** Weak pull towards the starting price (per candle) so a long run stays in a plausible range. */
const HOME_PULL = 0.0004;

/**
 * A seeded OHLCV generator for one asset with structure a model can learn:
 * - volatility regimes (calm / normal / stormy) that switch now and then;
 * - trend regimes (up, down, range); in a range the price reverts to a slowly moving anchor;
 * - a persistent short-horizon drift (order flow), shown as the order book's imbalance, so returns
 *   continue for a while after they start (momentum);
 * - volume spikes (news): a large candle in one direction on 4-7× volume that kicks the drift the same
 *   way, so the move continues for several candles after the spike.
 * The same seed, symbol, start and interval always give the same candles.
 */
export class SyntheticAssetMarket {
  private readonly rng: SeededRandom;
  private readonly profile: AssetProfile;
  private logPrice: number;
  private anchor: number;
  private drift = 0;
  private volRegime = 1;
  /** +1 up, -1 down, 0 range. */
  private trend = 0;
  private nextStart: number;

  constructor(
    readonly symbol: string,
    seed: number,
    private readonly intervalMs: number,
    start: number,
  ) {
    this.rng = new SeededRandom(assetSeed(seed, symbol));
    this.profile = assetProfile(symbol);
    this.logPrice = Math.log(this.profile.price);
    this.anchor = this.logPrice;
    this.nextStart = start;
  }

  next(): SimCandle {
    const { rng, profile } = this;
    this.switchRegimes();
    const sigma = profile.sigma * VOL_REGIMES[this.volRegime];

    const spike = rng.chance(SPIKE_CHANCE);
    const spikeSign = spike ? (rng.next() < 0.5 + 0.3 * Math.tanh(this.drift / sigma) ? 1 : -1) : 0;
    this.drift = DRIFT_PERSISTENCE * this.drift + DRIFT_NOISE * sigma * rng.normal() + spikeSign * SPIKE_KICK * sigma;

    const trendDrift = this.trend * TREND_DRIFT * profile.sigma;
    const home = Math.log(profile.price);
    const pull = (this.trend === 0 ? -REVERSION * (this.logPrice - this.anchor) : 0) - HOME_PULL * (this.logPrice - home);
    const jump = spike ? spikeSign * rng.between(2, 4) * sigma : 0;
    const ret = this.drift + trendDrift + pull + jump + sigma * rng.normal();

    const open = Math.exp(this.logPrice);
    // Four sub-steps of a bridge from open to close give the candle's extremes.
    let maxLog = this.logPrice;
    let minLog = this.logPrice;
    for (let i = 1; i < 4; i++) {
      const mid = this.logPrice + (ret * i) / 4 + sigma * 0.5 * rng.normal();
      maxLog = Math.max(maxLog, mid);
      minLog = Math.min(minLog, mid);
    }
    this.logPrice += ret;
    this.anchor += (this.trend === 0 ? 0.002 : 0.02) * (this.logPrice - this.anchor);
    maxLog = Math.max(maxLog, this.logPrice) + Math.abs(rng.normal()) * 0.15 * sigma;
    minLog = Math.min(minLog, this.logPrice) - Math.abs(rng.normal()) * 0.15 * sigma;

    const close = Math.exp(this.logPrice);
    const activity = 1 + 1.5 * Math.min(4, Math.abs(ret) / sigma);
    const volume = profile.volume * VOL_REGIMES[this.volRegime] * Math.exp(0.25 * rng.normal()) * activity * (spike ? rng.between(4, 7) : 1);
    const flowNoise = 0.1 * rng.normal();
    const flow = clamp(0.75 * Math.tanh(this.drift / (0.35 * sigma)) + flowNoise, -0.95, 0.95);

    const start = this.nextStart;
    this.nextStart += this.intervalMs;
    return {
      start,
      open,
      high: Math.exp(maxLog),
      low: Math.exp(minLog),
      close,
      volume,
      turnover: volume * (open + close) / 2,
      flow,
    };
  }

  private switchRegimes(): void {
    const { rng } = this;
    if (rng.chance(VOL_SWITCH)) this.volRegime = Math.floor(rng.next() * VOL_REGIMES.length);
    if (rng.chance(TREND_SWITCH)) {
      // Lean against large departures from the starting price so a long run stays in a sensible range.
      const departure = this.logPrice - Math.log(this.profile.price);
      const u = rng.next() + Math.max(-0.5, Math.min(0.5, 2 * departure));
      this.trend = u < 0.35 ? 1 : u < 0.7 ? 0 : -1;
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

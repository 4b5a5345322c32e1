import { SimCandle } from '@model-service/candles';

/** The market of one asset at one moment of simulated time, as the order manager and publishers see it. */
export interface MarketQuote {
  asset: string;
  /** Simulated time, epoch ms. */
  time: number;
  price: number;
  bid: number;
  ask: number;
  /** ask - bid, quote currency. */
  spread: number;
  /** Base volume over the last 24 h (extrapolated while fewer than 24 h of candles were replayed). */
  volume24h: number;
  turnover24h: number;
  high24h: number;
  low24h: number;
  prevPrice24h: number;
  /** Sample σ of 1-candle log returns over the last VOLATILITY_WINDOW candles (0 until 2 returns exist). */
  volatility: number;
  /** Bid/ask depth imbalance in [-1, 1] (> 0: more bids). */
  imbalance: number;
  /** Base quantity resting on each side within the first five levels of the synthesised book. */
  topDepth: number;
}

const VOLATILITY_WINDOW = 30;
/** Volatility at which the spread is twice its configured width. */
const SPREAD_VOLATILITY_UNIT = 0.001;

/**
 * Rolling 24 h statistics of one asset from the candles replayed so far, and the quote at each price
 * update inside the current candle (the current candle counts pro rata).
 */
export class AssetMarketState {
  private readonly window: SimCandle[] = [];
  private readonly capacity: number;
  private volumeSum = 0;
  private turnoverSum = 0;
  private last: MarketQuote | null = null;

  constructor(
    readonly asset: string,
    private readonly intervalMs: number,
    private readonly spreadBps: number,
  ) {
    this.capacity = Math.max(1, Math.round(86_400_000 / intervalMs));
  }

  get current(): MarketQuote | null {
    return this.last;
  }

  /** Candles in the 24 h window. */
  get depth(): number {
    return this.window.length;
  }

  /** The quote at `price` at simulated `time`, `fraction` (0..1] of the way through `candle`. */
  quote(candle: SimCandle, price: number, time: number, fraction: number): MarketQuote {
    const f = Math.min(1, Math.max(0, fraction));
    const n = this.window.length;
    const partialVolume = candle.volume * f;
    const partialTurnover = candle.turnover * f;
    // Extrapolate to 24 h while the window is not full yet, so volume_24h is of the right size from the start.
    const scale = n >= this.capacity ? 1 : this.capacity / (n + f || 1);
    const volume24h = n >= this.capacity ? this.volumeSum - this.window[0].volume * f + partialVolume : (this.volumeSum + partialVolume) * scale;
    const turnover24h = n >= this.capacity ? this.turnoverSum - this.window[0].turnover * f + partialTurnover : (this.turnoverSum + partialTurnover) * scale;
    let high = price;
    let low = price;
    for (const c of this.window) {
      if (c.high > high) high = c.high;
      if (c.low < low) low = c.low;
    }
    const volatility = this.volatility(price);
    const spread = price * (this.spreadBps / 10_000) * (1 + Math.min(3, volatility / SPREAD_VOLATILITY_UNIT));
    const avgTurnover = n > 0 ? this.turnoverSum / n : candle.turnover;
    const quote: MarketQuote = {
      asset: this.asset,
      time,
      price,
      bid: price - spread / 2,
      ask: price + spread / 2,
      spread,
      volume24h: Math.max(0, volume24h),
      turnover24h: Math.max(0, turnover24h),
      high24h: Math.max(high, candle.high),
      low24h: Math.min(low, candle.low),
      prevPrice24h: n > 0 ? this.window[0].open : candle.open,
      volatility,
      imbalance: candle.flow ?? this.momentumImbalance(price, volatility),
      topDepth: Math.max(avgTurnover * 0.25, price * 1e-6) / price,
    };
    this.last = quote;
    return quote;
  }

  /** Adds a closed candle to the 24 h window. */
  close(candle: SimCandle): void {
    this.window.push(candle);
    this.volumeSum += candle.volume;
    this.turnoverSum += candle.turnover;
    if (this.window.length > this.capacity) {
      const old = this.window.shift() as SimCandle;
      this.volumeSum -= old.volume;
      this.turnoverSum -= old.turnover;
    }
  }

  private volatility(price: number): number {
    const closes = this.window.slice(-VOLATILITY_WINDOW).map((c) => c.close);
    closes.push(price);
    if (closes.length < 3) return 0;
    const rets: number[] = [];
    for (let i = 1; i < closes.length; i++) rets.push(Math.log(closes[i] / closes[i - 1]));
    const mean = rets.reduce((s, r) => s + r, 0) / rets.length;
    const variance = rets.reduce((s, r) => s + (r - mean) ** 2, 0) / (rets.length - 1);
    return Math.sqrt(variance);
  }

  /** Without an order-flow figure: the last three candles' return in units of σ, squashed. */
  private momentumImbalance(price: number, volatility: number): number {
    const back = this.window[this.window.length - 3];
    if (!back || !(volatility > 0)) return 0;
    return Math.tanh(Math.log(price / back.close) / (volatility * Math.sqrt(3))) * 0.5;
  }
}

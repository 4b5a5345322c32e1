import { IndicatorState, TechnicalIndicators } from '@model-service/features';
import { NormalizedKline, NormalizedOrderbook, NormalizedTicker } from '@model-service/signals';
import { Clock, systemClock } from '@model-service/util';

import { BookDepth, OrderBook } from './order-book';

const MINUTE = 60_000;
const INTERVAL_MINUTES: Record<string, number> = { D: 1_440, W: 10_080, M: 43_200 };

/** Length of a kline interval ('1', '60', 'D', ...) in milliseconds. */
export function intervalMs(interval: string): number {
  return (INTERVAL_MINUTES[interval] ?? Number(interval)) * MINUTE;
}

/** What the cache knows about one asset, as a strategy sees it when deciding. */
export interface MarketView {
  asset: string;
  price: number;
  bid: number | null;
  ask: number | null;
  /** ask - bid (from the ticker, else the order book); 0 when neither is known (spreadKnown false). */
  spread: number;
  spreadKnown: boolean;
  volume24h: number;
  change24hPct: number | null;
  high24h: number | null;
  low24h: number | null;
  /** Per-candle σ of log returns from the klines, else estimated from the 24 h range (Parkinson), else 0. */
  volatility: number;
  volatilitySource: 'klines' | 'ticker_range' | 'none';
  /** null when no closed kline of the interval has arrived yet. */
  indicators: TechnicalIndicators | null;
  depth: BookDepth | null;
  /** Exchange time of the ticker used (epoch ms) and how old it was when read. */
  tickerTs: number;
  ageMs: number;
}

export type MarketLookup =
  | { ok: true; view: MarketView }
  | { ok: false; reason: 'no_market_data' | 'stale_market_data'; detail: string };

export interface MarketDataCacheOptions {
  /** Ticker and order book older than this are stale; klines get one interval more. */
  maxAgeMs: number;
  depthLevels: number;
  /** Age from the data's own timestamp (default) or from when this process received it. */
  ageFrom?: 'event_time' | 'receipt_time';
  clock?: Clock;
}

interface TickerRecord {
  ticker: NormalizedTicker;
  receivedAt: number;
}

interface KlineSeries {
  indicators: IndicatorState;
  /** Newest kline message (closed or not) of this interval: exchange time and receipt time. */
  ts: number;
  receivedAt: number;
}

interface AssetRecord {
  ticker?: TickerRecord;
  book: OrderBook;
  klines: Map<string, KlineSeries>;
}

/**
 * The latest market state per asset: ticker (price, best bid/ask, 24 h volume), order book depth, and
 * incremental indicators over closed klines per interval (IndicatorState: O(1) per kline). A read that
 * would use stale data returns the reason instead of the data.
 */
export class MarketDataCache {
  private readonly assets = new Map<string, AssetRecord>();
  private readonly clock: Clock;
  private readonly ageFrom: 'event_time' | 'receipt_time';

  constructor(private readonly opts: MarketDataCacheOptions) {
    this.clock = opts.clock ?? systemClock;
    this.ageFrom = opts.ageFrom ?? 'event_time';
  }

  /** Applies a ticker (a delta merges into the previous one); false when it is older than the one held. */
  applyTicker(t: NormalizedTicker): boolean {
    const rec = this.record(t.asset);
    const prev = rec.ticker?.ticker;
    if (prev && t.ts < prev.ts) return false;
    const merged = prev && t.type === 'delta' ? mergeDefined(prev, t) : t;
    rec.ticker = { ticker: merged, receivedAt: this.clock.now() };
    return true;
  }

  applyOrderbook(o: NormalizedOrderbook): boolean {
    return this.record(o.asset).book.apply(o, this.clock.now());
  }

  /** Feeds the closed candles of a kline message to the indicators; returns how many were new. */
  applyKline(k: NormalizedKline): number {
    const rec = this.record(k.asset);
    let series = rec.klines.get(k.interval);
    if (!series) {
      series = { indicators: new IndicatorState(), ts: 0, receivedAt: 0 };
      rec.klines.set(k.interval, series);
    }
    series.ts = Math.max(series.ts, k.ts);
    series.receivedAt = this.clock.now();
    let appended = 0;
    for (const c of k.candles) {
      if (!c.confirm) continue;
      if (series.indicators.update(c) === 'appended') appended++;
    }
    return appended;
  }

  /** Best `levels` of the book, for republishing a self-contained snapshot. */
  bookTop(asset: string, levels: number): { bids: [number, number][]; asks: [number, number][]; ts: number } | null {
    const book = this.assets.get(asset)?.book;
    if (!book || book.empty) return null;
    return { ...book.top(levels), ts: book.ts };
  }

  /** The latest ticker price of `asset` while it is fresh (MARKET_DATA_MAX_AGE_SECONDS), else null. */
  price(asset: string): number | null {
    const tick = this.assets.get(asset)?.ticker;
    if (!tick) return null;
    return this.age(this.clock.now(), tick.ticker.ts, tick.receivedAt) > this.opts.maxAgeMs ? null : tick.ticker.price;
  }

  knownAssets(): string[] {
    return [...this.assets.keys()];
  }

  /** The market as of now for a decision on `asset` with indicators of `interval`, or why it cannot be used. */
  lookup(asset: string, interval: string): MarketLookup {
    const rec = this.assets.get(asset);
    const tick = rec?.ticker;
    if (!rec || !tick) return { ok: false, reason: 'no_market_data', detail: `no ticker received for ${asset}` };
    const now = this.clock.now();
    const maxAge = this.opts.maxAgeMs;
    const tickerAge = this.age(now, tick.ticker.ts, tick.receivedAt);
    if (tickerAge > maxAge) return stale(`ticker of ${asset} is ${secs(tickerAge)} s old (max ${secs(maxAge)} s)`);
    const book = rec.book;
    if (!book.empty) {
      const bookAge = this.age(now, book.ts, book.receivedAt);
      if (bookAge > maxAge) return stale(`order book of ${asset} is ${secs(bookAge)} s old (max ${secs(maxAge)} s)`);
    }
    const series = rec.klines.get(interval);
    if (series) {
      const klineAge = this.age(now, series.ts, series.receivedAt);
      const klineMax = maxAge + intervalMs(interval);
      if (klineAge > klineMax) return stale(`${interval} klines of ${asset} are ${secs(klineAge)} s old (max ${secs(klineMax)} s)`);
    }
    return { ok: true, view: this.view(asset, tick.ticker, book, series, interval, tickerAge) };
  }

  private view(asset: string, t: NormalizedTicker, book: OrderBook, series: KlineSeries | undefined, interval: string, ageMs: number): MarketView {
    const fromBook = book.empty ? null : book.depth(this.opts.depthLevels);
    const bid = t.bid ?? fromBook?.bestBid ?? null;
    const ask = t.ask ?? fromBook?.bestAsk ?? null;
    const spreadKnown = bid !== null && ask !== null;
    const indicators = series && series.indicators.candleCount > 0 ? series.indicators.snapshot() : null;
    let volatility = 0;
    let volatilitySource: MarketView['volatilitySource'] = 'none';
    if (indicators?.volatility != null) {
      volatility = indicators.volatility;
      volatilitySource = 'klines';
    } else if (t.high_24h !== undefined && t.low_24h !== undefined && t.high_24h >= t.low_24h) {
      // Parkinson estimate of the daily σ, scaled to one candle of the interval.
      volatility = (Math.log(t.high_24h / t.low_24h) / (2 * Math.sqrt(Math.LN2))) * Math.sqrt(intervalMs(interval) / (1_440 * MINUTE));
      volatilitySource = 'ticker_range';
    }
    return {
      asset,
      price: t.price,
      bid,
      ask,
      spread: spreadKnown ? Math.max(0, ask - bid) : 0,
      spreadKnown,
      volume24h: t.volume_24h ?? 0,
      change24hPct: t.change_24h_pct ?? null,
      high24h: t.high_24h ?? null,
      low24h: t.low_24h ?? null,
      volatility,
      volatilitySource,
      indicators,
      depth: fromBook?.depth ?? null,
      tickerTs: t.ts,
      ageMs,
    };
  }

  private age(now: number, eventTs: number, receivedAt: number): number {
    return now - (this.ageFrom === 'receipt_time' ? receivedAt : eventTs);
  }

  private record(asset: string): AssetRecord {
    let rec = this.assets.get(asset);
    if (!rec) {
      rec = { book: new OrderBook(), klines: new Map() };
      this.assets.set(asset, rec);
    }
    return rec;
  }
}

function stale(detail: string): MarketLookup {
  return { ok: false, reason: 'stale_market_data', detail };
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/** prev with every field of next that is defined. */
function mergeDefined<T extends object>(prev: T, next: T): T {
  const out = { ...prev } as Record<string, unknown>;
  for (const [k, v] of Object.entries(next)) if (v !== undefined) out[k] = v;
  return out as T;
}

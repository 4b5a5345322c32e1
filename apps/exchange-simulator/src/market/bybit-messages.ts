import { randomUUID } from 'node:crypto';

import { MarketQuote } from './market-state';
import { SimCandle } from '@model-service/candles';

/** A Bybit v5 public-stream message (`tickers.*`, `orderbook.*`, `kline.*`). */
export interface BybitStreamMessage {
  topic: string;
  type: 'snapshot' | 'delta';
  ts: number;
  data: unknown;
  cts?: number;
}

/** Decimal places Bybit-like for a price of this size (2 for BTC, 4 for a $1-10 coin, ...). */
export function priceDecimals(price: number): number {
  if (price >= 1000) return 2;
  if (price >= 10) return 3;
  if (price >= 1) return 4;
  return 6;
}

/** A number as Bybit writes it: a decimal string without exponent or trailing zeros. */
export function decimal(n: number, decimals: number): string {
  const s = n.toFixed(decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function tickerMessage(q: MarketQuote): BybitStreamMessage {
  const d = priceDecimals(q.price);
  return {
    topic: `tickers.${q.asset}`,
    type: 'snapshot',
    ts: q.time,
    data: {
      symbol: q.asset,
      lastPrice: decimal(q.price, d),
      bid1Price: decimal(q.bid, d),
      bid1Size: decimal(q.topDepth / 5, 6),
      ask1Price: decimal(q.ask, d),
      ask1Size: decimal(q.topDepth / 5, 6),
      highPrice24h: decimal(q.high24h, d),
      lowPrice24h: decimal(q.low24h, d),
      prevPrice24h: decimal(q.prevPrice24h, d),
      price24hPcnt: decimal(q.price / q.prevPrice24h - 1, 4),
      volume24h: decimal(q.volume24h, 4),
      turnover24h: decimal(q.turnover24h, 2),
    },
  };
}

/**
 * A full order-book snapshot of `levels` levels per side around the quote: best bid/ask at the quote's
 * spread, levels 1 bp apart, sizes growing away from the top and tilted by the quote's imbalance
 * (bids × (1 + imbalance), asks × (1 - imbalance)); the first five levels per side hold about `topDepth`.
 */
export function orderbookMessage(q: MarketQuote, levels: number, updateId: number, depth = 50): BybitStreamMessage {
  const d = priceDecimals(q.price);
  const step = Math.max(q.price * 0.0001, 10 ** -d);
  const weights = Array.from({ length: levels }, (_, i) => 1 + 0.15 * i);
  const top = weights.slice(0, 5).reduce((s, w) => s + w, 0);
  const unit = q.topDepth / top;
  const tilt = Math.max(-0.95, Math.min(0.95, q.imbalance));
  const side = (sign: 1 | -1, factor: number): [string, string][] =>
    weights.map((w, i) => [decimal((sign < 0 ? q.bid : q.ask) + sign * step * i, d), decimal(unit * w * factor, 6)]);
  return {
    topic: `orderbook.${depth}.${q.asset}`,
    type: 'snapshot',
    ts: q.time,
    cts: q.time,
    data: { s: q.asset, b: side(-1, 1 + tilt), a: side(1, 1 - tilt), u: updateId, seq: updateId },
  };
}

/**
 * One kline update of `c` (the candle so far while it is open): `confirm` true once it has closed
 * (then volume and close are final), as Bybit sends it.
 */
export function klineMessage(asset: string, interval: string, intervalMs: number, c: SimCandle, time: number, confirm: boolean): BybitStreamMessage {
  const d = priceDecimals(c.close);
  return {
    topic: `kline.${interval}.${asset}`,
    type: 'snapshot',
    ts: time,
    data: [
      {
        start: c.start,
        end: c.start + intervalMs - 1,
        interval,
        open: decimal(c.open, d),
        close: decimal(c.close, d),
        high: decimal(c.high, d),
        low: decimal(c.low, d),
        volume: decimal(c.volume, 6),
        turnover: decimal(c.turnover, 4),
        confirm,
        timestamp: time,
      },
    ],
  };
}

/** The part of `c` seen after `prices` (its ticks so far): high/low/close so far, volume pro rata. */
export function candleSoFar(c: SimCandle, prices: readonly number[], total: number): SimCandle {
  const f = prices.length / total;
  const close = prices[prices.length - 1];
  return {
    start: c.start,
    open: c.open,
    high: Math.max(c.open, ...prices),
    low: Math.min(c.open, ...prices),
    close,
    volume: c.volume * f,
    turnover: c.turnover * f,
  };
}

const EVENT_TYPES: Record<string, string> = { tickers: 'ticker', orderbook: 'orderbook', kline: 'kline' };

/** Wrapped the way ws-gateway forwards it: `{ event_id, event_type, topic, timestamp, received_at, payload, trace_id }`. */
export function gatewayEvent(message: BybitStreamMessage): Record<string, unknown> {
  const at = new Date(message.ts).toISOString();
  return {
    event_id: randomUUID(),
    event_type: EVENT_TYPES[message.topic.split('.')[0]] ?? 'unknown',
    topic: message.topic,
    timestamp: at,
    received_at: at,
    payload: message,
    trace_id: randomUUID(),
  };
}

import { randomUUID } from 'node:crypto';

import type { KlineInterval } from '../market-data/normalized-kline';
import { EXAMPLE_TS } from './contract-examples';

/** Bybit writes numbers as decimal strings. */
function dec(n: number): string {
  return String(Number(n.toFixed(8)));
}

export interface BybitMessage {
  topic: string;
  type: 'snapshot' | 'delta';
  ts: number;
  data: unknown;
  [extra: string]: unknown;
}

/** A bare Bybit v5 spot `tickers.{symbol}` snapshot at `price` (bid/ask one 0.001 % tick around it). `data` overrides merge in. */
export function exampleBybitTicker(
  symbol = 'BTCUSDT',
  price = 50000,
  opts: { ts?: number; type?: 'snapshot' | 'delta'; data?: Record<string, unknown> } = {},
): BybitMessage {
  const tick = price * 0.00001;
  return {
    topic: `tickers.${symbol}`,
    type: opts.type ?? 'snapshot',
    ts: opts.ts ?? EXAMPLE_TS,
    cs: 24987956059,
    data: {
      symbol,
      lastPrice: dec(price),
      bid1Price: dec(price - tick),
      bid1Size: '1.5',
      ask1Price: dec(price + tick),
      ask1Size: '1.2',
      highPrice24h: dec(price * 1.02),
      lowPrice24h: dec(price * 0.97),
      prevPrice24h: dec(price / 1.0123),
      price24hPcnt: '0.0123',
      volume24h: '12345.678',
      turnover24h: dec(12345.678 * price),
      ...opts.data,
    },
  };
}

/** A bare Bybit v5 `orderbook.{depth}.{symbol}` message with `levels` levels per side around `mid` (1 USDT apart). */
export function exampleBybitOrderbook(
  symbol = 'BTCUSDT',
  mid = 50000,
  opts: { levels?: number; depth?: number; type?: 'snapshot' | 'delta'; ts?: number; updateId?: number; step?: number } = {},
): BybitMessage {
  const levels = opts.levels ?? 5;
  const step = opts.step ?? 1;
  const side = (sign: 1 | -1): [string, string][] =>
    Array.from({ length: levels }, (_, i) => [dec(mid + sign * step * (i + 0.5)), dec(0.1 * (i + 1))]);
  return {
    topic: `orderbook.${opts.depth ?? 50}.${symbol}`,
    type: opts.type ?? 'snapshot',
    ts: opts.ts ?? EXAMPLE_TS,
    data: { s: symbol, b: side(-1), a: side(1), u: opts.updateId ?? 18521288, seq: 7961638724 },
    cts: (opts.ts ?? EXAMPLE_TS) - 2,
  };
}

const INTERVAL_MS: Record<string, number> = { D: 86_400_000, W: 604_800_000, M: 2_592_000_000 };

/**
 * A bare Bybit v5 `kline.{interval}.{symbol}` message. One confirmed candle closing at `close` by default;
 * `closes` gives a series (one candle each, oldest first). Candle bodies span ±0.1 % around open/close.
 */
export function exampleBybitKline(
  symbol = 'BTCUSDT',
  close = 50000,
  opts: { interval?: KlineInterval; closes?: number[]; start?: number; confirm?: boolean; ts?: number } = {},
): BybitMessage {
  const interval = opts.interval ?? '1';
  const span = INTERVAL_MS[interval] ?? Number(interval) * 60_000;
  const closes = opts.closes ?? [close];
  const firstStart = opts.start ?? EXAMPLE_TS;
  const data = closes.map((c, i) => {
    const open = i === 0 ? c * 0.999 : closes[i - 1];
    const start = firstStart + i * span;
    return {
      start,
      end: start + span - 1,
      interval,
      open: dec(open),
      close: dec(c),
      high: dec(Math.max(open, c) * 1.001),
      low: dec(Math.min(open, c) * 0.999),
      volume: '2.081',
      turnover: dec(2.081 * c),
      confirm: opts.confirm ?? true,
      timestamp: start + span - 1,
    };
  });
  return { topic: `kline.${interval}.${symbol}`, type: 'snapshot', ts: opts.ts ?? firstStart + closes.length * span - 1, data };
}

const EVENT_TYPES: Record<string, string> = { tickers: 'ticker', orderbook: 'orderbook', kline: 'kline' };

/**
 * Wraps a bare Bybit message the way ws-gateway does: `{ event_id, event_type, topic, timestamp, received_at,
 * payload, trace_id }` where payload is one data item with `topic` added (Bybit's `type` is lost), or with
 * `whole: true` the entire Bybit message; `key: 'data'` uses `data` instead of `payload`.
 */
export function gatewayEnvelope(
  message: BybitMessage,
  opts: { key?: 'payload' | 'data'; whole?: boolean; eventType?: string; receivedAt?: string } = {},
): Record<string, unknown> {
  const items = Array.isArray(message.data) ? message.data : [message.data];
  const withTopic = items.map((item) => ({ ...(item as Record<string, unknown>), topic: message.topic }));
  const payload = opts.whole ? message : withTopic.length === 1 ? withTopic[0] : withTopic;
  return {
    event_id: randomUUID(),
    event_type: opts.eventType ?? EVENT_TYPES[message.topic.split('.')[0]] ?? 'unknown',
    topic: message.topic,
    timestamp: new Date(message.ts).toISOString(),
    received_at: opts.receivedAt ?? new Date(message.ts + 5).toISOString(),
    [opts.key ?? 'payload']: payload,
    trace_id: randomUUID(),
  };
}

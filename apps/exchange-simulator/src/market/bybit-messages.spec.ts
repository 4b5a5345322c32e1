import { parseKline, parseOrderbook, parseTicker } from '@model-service/signals';

import { candleSoFar, decimal, gatewayEvent, klineMessage, orderbookMessage, priceDecimals, tickerMessage } from './bybit-messages';
import { MarketQuote } from './market-state';

const T = Date.UTC(2024, 0, 1, 0, 1);
const quote: MarketQuote = {
  asset: 'BTCUSDT',
  time: T,
  price: 60_000.123,
  bid: 60_000,
  ask: 60_000.25,
  spread: 0.25,
  volume24h: 12_345.5,
  turnover24h: 740_000_000,
  high24h: 61_000,
  low24h: 59_000,
  prevPrice24h: 59_500,
  volatility: 0.001,
  imbalance: 0.5,
  topDepth: 10,
};

describe('Bybit v5 messages', () => {
  it.each([
    [60_000, 2],
    [1000, 2],
    [150.5, 3],
    [1.5, 4],
    [0.25, 6],
  ])('price %d has %d decimals', (price, d) => expect(priceDecimals(price)).toBe(d));

  it('writes decimals without exponent or trailing zeros', () => {
    expect(decimal(1.5, 4)).toBe('1.5');
    expect(decimal(2, 4)).toBe('2');
    expect(decimal(1e-7, 6)).toBe('0');
    expect(decimal(60000.125, 2)).toBe('60000.13');
  });

  it('ticker: reads back through the ws-gateway envelope as the quote', () => {
    const t = parseTicker(gatewayEvent(tickerMessage(quote)));
    expect(t).toMatchObject({ asset: 'BTCUSDT', price: 60_000.12, bid: 60_000, ask: 60_000.25, volume_24h: 12_345.5, high_24h: 61_000, low_24h: 59_000, ts: T });
  });

  it('order book: best levels at the quote, sizes tilted by the imbalance', () => {
    const b = parseOrderbook(gatewayEvent(orderbookMessage(quote, 10, 7)));
    expect(b.asset).toBe('BTCUSDT');
    expect(b.type).toBe('snapshot');
    expect(b.bids).toHaveLength(10);
    expect(b.asks).toHaveLength(10);
    expect(b.bids[0][0]).toBe(60_000);
    expect(b.asks[0][0]).toBe(60_000.25);
    expect(b.bids[1][0]).toBeLessThan(b.bids[0][0]);
    expect(b.asks[1][0]).toBeGreaterThan(b.asks[0][0]);
    const bidTop5 = b.bids.slice(0, 5).reduce((s, [, q]) => s + q, 0);
    const askTop5 = b.asks.slice(0, 5).reduce((s, [, q]) => s + q, 0);
    expect(bidTop5).toBeCloseTo(15, 4); // topDepth × (1 + 0.5)
    expect(askTop5).toBeCloseTo(5, 4); // topDepth × (1 - 0.5)
    expect((bidTop5 - askTop5) / (bidTop5 + askTop5)).toBeCloseTo(0.5, 4);
  });

  it('kline: the candle so far while open (confirm false), the whole candle on close (confirm true)', () => {
    const c = { start: T, open: 100, high: 110, low: 95, close: 105, volume: 8, turnover: 840 };
    const open = parseKline(gatewayEvent(klineMessage('SOLUSDT', '1', 60_000, candleSoFar(c, [95, 110], 4), T + 30_000, false)));
    expect(open.asset).toBe('SOLUSDT');
    expect(open.interval).toBe('1');
    expect(open.candles[0]).toMatchObject({ start: T, end: T + 59_999, open: 100, high: 110, low: 95, close: 110, volume: 4, confirm: false });
    const closed = parseKline(gatewayEvent(klineMessage('SOLUSDT', '1', 60_000, c, T + 59_999, true)));
    expect(closed.candles[0]).toMatchObject({ open: 100, high: 110, low: 95, close: 105, volume: 8, turnover: 840, confirm: true });
  });

  it('envelope carries simulated time as timestamp and received_at', () => {
    const e = gatewayEvent(tickerMessage(quote));
    expect(e).toMatchObject({ event_type: 'ticker', topic: 'tickers.BTCUSDT', timestamp: new Date(T).toISOString(), received_at: new Date(T).toISOString() });
  });
});

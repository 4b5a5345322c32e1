import { NormalizedKline, NormalizedOrderbook, NormalizedTicker, parseKline, parseOrderbook, parseTicker } from '@model-service/signals';
import { exampleBybitKline, exampleBybitOrderbook, exampleBybitTicker, gatewayEnvelope } from '@model-service/signals/testing';
import { FakeClock } from '@model-service/util/testing';

import { MarketDataCache, MarketView } from './market-data-cache';

const T0 = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

function ticker(asset: string, price: number, ts: number, extra: Partial<NormalizedTicker> = {}): NormalizedTicker {
  return { asset, price, bid: price - 1, ask: price + 1, volume_24h: 1234, high_24h: price * 1.02, low_24h: price * 0.98, change_24h_pct: 1.5, ts, ...extra };
}

function book(asset: string, ts: number, type: 'snapshot' | 'delta' = 'snapshot', bids: [number, number][] = [[99, 2], [98, 3]], asks: [number, number][] = [[101, 1], [102, 4]]): NormalizedOrderbook {
  return { asset, type, bids, asks, ts };
}

/** One closed 1-minute candle per close; high/low given or ±1 around the close; volume given or 10. */
function klines(asset: string, closes: number[], opts: { start?: number; highLow?: (c: number) => [number, number]; volumes?: number[] } = {}): NormalizedKline {
  const start = opts.start ?? T0 - closes.length * MIN;
  return {
    asset,
    interval: '1',
    ts: start + closes.length * MIN,
    candles: closes.map((close, i) => {
      const [high, low] = opts.highLow?.(close) ?? [close + 1, close - 1];
      return { start: start + i * MIN, end: start + (i + 1) * MIN - 1, open: close, high, low, close, volume: opts.volumes?.[i] ?? 10, confirm: true };
    }),
  };
}

function setup(maxAgeSec = 60, ageFrom: 'event_time' | 'receipt_time' = 'event_time') {
  const clock = new FakeClock(T0);
  const cache = new MarketDataCache({ maxAgeMs: maxAgeSec * 1000, depthLevels: 10, clock, ageFrom });
  return { clock, cache };
}

function view(cache: MarketDataCache, asset = 'BTCUSDT'): MarketView {
  const r = cache.lookup(asset, '1');
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.view;
}

describe('MarketDataCache: stale data is never used silently', () => {
  // [what, ticker age s, order book age s (null = none), kline message age s (null = none), result]
  it.each<[string, number | null, number | null, number | null, string]>([
    ['no ticker yet', null, 0, 0, 'no_market_data'],
    ['fresh ticker only', 0, null, null, 'ok'],
    ['ticker exactly at the max age (60 s)', 60, null, null, 'ok'],
    ['ticker 1 ms over the max age', 60.001, null, null, 'stale_market_data'],
    ['order book exactly at the max age', 10, 60, null, 'ok'],
    ['order book 1 ms over the max age', 10, 60.001, null, 'stale_market_data'],
    ['klines at max age + one interval (120 s)', 10, 10, 120, 'ok'],
    ['klines 1 ms over max age + one interval', 10, 10, 120.001, 'stale_market_data'],
  ])('%s', (_what, tickerAge, bookAge, klineAge, expected) => {
    const { clock, cache } = setup(60);
    const at = (ageSec: number): number => T0 - Math.round(ageSec * 1000);
    if (tickerAge !== null) cache.applyTicker(ticker('BTCUSDT', 100, at(tickerAge)));
    if (bookAge !== null) cache.applyOrderbook(book('BTCUSDT', at(bookAge)));
    if (klineAge !== null) cache.applyKline({ ...klines('BTCUSDT', [100, 101], { start: at(klineAge) - 2 * MIN }), ts: at(klineAge) });
    clock.set(T0);
    const r = cache.lookup('BTCUSDT', '1');
    expect(r.ok ? 'ok' : r.reason).toBe(expected);
    if (!r.ok) expect(r.detail).toContain('BTCUSDT');
  });

  it('says how old the data was', () => {
    const { clock, cache } = setup(5);
    cache.applyTicker(ticker('ETHUSDT', 3000, T0));
    clock.advance(7_500);
    expect(cache.lookup('ETHUSDT', '1')).toEqual({ ok: false, reason: 'stale_market_data', detail: 'ticker of ETHUSDT is 7.5 s old (max 5.0 s)' });
  });

  it('can measure age from receipt (replays of old data)', () => {
    const { clock, cache } = setup(5, 'receipt_time');
    cache.applyTicker(ticker('BTCUSDT', 100, T0 - 86_400_000));
    expect(cache.lookup('BTCUSDT', '1').ok).toBe(true);
    clock.advance(5_001);
    expect(cache.lookup('BTCUSDT', '1')).toMatchObject({ ok: false, reason: 'stale_market_data' });
  });

  it('ignores a ticker older than the one it holds, merges a delta', () => {
    const { cache } = setup();
    cache.applyTicker(ticker('BTCUSDT', 100, T0));
    expect(cache.applyTicker(ticker('BTCUSDT', 90, T0 - 1))).toBe(false);
    cache.applyTicker({ asset: 'BTCUSDT', price: 101, type: 'delta', ts: T0 + 1 });
    expect(view(cache)).toMatchObject({ price: 101, bid: 99, ask: 101, volume24h: 1234, spread: 2 });
  });
});

describe('MarketDataCache: market view', () => {
  it('reads Bybit messages bare and enveloped: price, spread, 24 h volume, depth', () => {
    const { cache } = setup();
    cache.applyTicker(parseTicker(gatewayEnvelope(exampleBybitTicker('BTCUSDT', 50_000, { ts: T0 }))));
    cache.applyOrderbook(parseOrderbook(exampleBybitOrderbook('BTCUSDT', 50_000, { ts: T0, levels: 12 })));
    const v = view(cache);
    expect(v).toMatchObject({ price: 50_000, volume24h: 12345.678, change24hPct: 1.23, spreadKnown: true, tickerTs: T0 });
    expect(v.spread).toBeCloseTo(1, 6); // bid/ask one 0.001 % tick around 50,000
    // 10 levels of 0.1, 0.2, ... 1.0 per side.
    expect(v.depth).toEqual({ bid_depth: expect.closeTo(5.5, 9), ask_depth: expect.closeTo(5.5, 9), imbalance: 0 });
  });

  it('keeps the order book from a snapshot and its deltas (size 0 removes a level)', () => {
    const { cache } = setup();
    cache.applyTicker(ticker('BTCUSDT', 100, T0, { bid: undefined, ask: undefined }));
    cache.applyOrderbook(book('BTCUSDT', T0));
    cache.applyOrderbook(book('BTCUSDT', T0 + 1, 'delta', [[99, 0], [99.5, 1]], [[101, 3]]));
    const v = view(cache);
    // bids 99.5 x1, 98 x3 = 4; asks 101 x3, 102 x4 = 7; best bid/ask from the book when the ticker has none.
    expect(v).toMatchObject({ bid: 99.5, ask: 101, spread: 1.5, depth: { bid_depth: 4, ask_depth: 7, imbalance: (4 - 7) / 11 } });
  });

  it('falls back to the 24 h range for volatility before any kline (Parkinson, per 1-minute candle)', () => {
    const { cache } = setup();
    cache.applyTicker(ticker('BTCUSDT', 100, T0, { high_24h: 110, low_24h: 100 }));
    const v = view(cache);
    expect(v.indicators).toBeNull();
    expect(v.volatilitySource).toBe('ticker_range');
    expect(v.volatility).toBeCloseTo((Math.log(1.1) / (2 * Math.sqrt(Math.LN2))) * Math.sqrt(1 / 1440), 12);
  });

  it('feeds only closed candles, in order, to the indicators', () => {
    const { cache } = setup();
    cache.applyTicker(ticker('BTCUSDT', 100, T0));
    expect(cache.applyKline(parseKline(exampleBybitKline('BTCUSDT', 0, { closes: [100, 101, 102], start: T0 - 3 * MIN, ts: T0 })))).toBe(3);
    expect(cache.applyKline(parseKline(exampleBybitKline('BTCUSDT', 103, { start: T0, confirm: false, ts: T0 })))).toBe(0);
    expect(cache.applyKline(parseKline(exampleBybitKline('BTCUSDT', 99, { start: T0 - 3 * MIN, ts: T0 })))).toBe(0);
    expect(view(cache).indicators).toMatchObject({ candles: 3, return_1: expect.closeTo(Math.log(102 / 101), 12) });
  });
});

describe('MarketDataCache: indicators against hand-computed values', () => {
  it('returns, RSI(14) and ATR(14) over 15 candles: 7 moves of +2, 7 of -1', () => {
    const closes = [100];
    for (let i = 0; i < 7; i++) {
      const last = closes[closes.length - 1];
      closes.push(last + 2, last + 1);
    }
    // closes: 100, 102, 101, 103, 102, ..., 108, 107; every candle high = close + 1, low = close - 1.
    const { cache } = setup();
    cache.applyTicker(ticker('BTCUSDT', 107, T0));
    cache.applyKline(klines('BTCUSDT', closes));
    const ind = view(cache).indicators!;
    expect(closes).toHaveLength(15);
    expect(closes.slice(-3)).toEqual([106, 108, 107]);
    expect(ind.return_1).toBeCloseTo(Math.log(107 / 108), 12);
    expect(ind.return_5).toBeCloseTo(Math.log(107 / 106), 12); // five candles back: 106
    // avg gain = 7 x 2 / 14 = 1, avg loss = 7 x 1 / 14 = 0.5, RS = 2 -> RSI = 100 - 100 / 3.
    expect(ind.rsi_14).toBeCloseTo(100 - 100 / 3, 9);
    // True range: after +2 it is |high - prev close| = 3, after -1 it is high - low = 2 -> ATR = 35 / 14 = 2.5.
    expect(ind.atr_14).toBeCloseTo(2.5, 12);
    expect(ind.atr_pct).toBeCloseTo((2.5 / 107) * 100, 12);
    expect(ind.ema_ratio).toBeNull(); // needs 26 candles
    expect(ind.bollinger_pctb).toBeNull(); // needs 20
  });

  it('Bollinger %b, volume z-score and volatility over 20 candles: 19 x 100 then 120', () => {
    const closes = [...Array(19).fill(100), 120];
    const volumes = [...Array(19).fill(10), 30];
    const { cache } = setup();
    cache.applyTicker(ticker('BTCUSDT', 120, T0));
    cache.applyKline(klines('BTCUSDT', closes, { volumes }));
    const ind = view(cache).indicators!;
    // mean 101, population σ = sqrt((19 x 1 + 19²) / 20) = sqrt(19); bands 101 ± 2 sqrt(19).
    const sigma = Math.sqrt(19);
    expect(ind.bollinger_pctb).toBeCloseTo((120 - (101 - 2 * sigma)) / (4 * sigma), 9);
    // volumes: mean 11, σ = sqrt(19) -> z = 19 / sqrt(19) = sqrt(19).
    expect(ind.volume_zscore).toBeCloseTo(Math.sqrt(19), 9);
    // 19 one-candle log returns: 18 zeros and ln(1.2); sample σ = ln(1.2) / sqrt(19).
    expect(ind.volatility).toBeCloseTo(Math.log(1.2) / Math.sqrt(19), 12);
    expect(view(cache).volatilitySource).toBe('klines');
  });

  it('EMA(12) / EMA(26) - 1 over 26 candles: 25 x 100 then 126', () => {
    const { cache } = setup();
    cache.applyTicker(ticker('BTCUSDT', 126, T0));
    cache.applyKline(klines('BTCUSDT', [...Array(25).fill(100), 126]));
    // EMA12 (seeded with SMA = 100 at candle 12) then 100 + 2/13 x 26 = 104; EMA26 = SMA of 26 = 101.
    expect(view(cache).indicators!.ema_ratio).toBeCloseTo(104 / 101 - 1, 12);
  });
});

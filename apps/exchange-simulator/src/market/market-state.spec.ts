import { AssetMarketState } from './market-state';
import { SimCandle } from '@model-service/candles';

const HOUR = 3_600_000;
const candle = (start: number, close: number, volume = 10, extra: Partial<SimCandle> = {}): SimCandle => ({
  start,
  open: close,
  high: close * 1.001,
  low: close * 0.999,
  close,
  volume,
  turnover: volume * close,
  ...extra,
});

describe('AssetMarketState', () => {
  it('extrapolates volume_24h to a full day while fewer than 24 h of candles were replayed', () => {
    const s = new AssetMarketState('BTCUSDT', HOUR, 2);
    for (let i = 0; i < 6; i++) s.close(candle(i * HOUR, 100, 10));
    const q = s.quote(candle(6 * HOUR, 100, 10), 100, 6 * HOUR + HOUR / 2, 0.5);
    // 6 full candles + half of the current = 65 units over 6.5 h → 240 per 24 h.
    expect(q.volume24h).toBeCloseTo(240, 8);
  });

  it('rolls a full 24 h window: the oldest candle leaves pro rata as the current one fills', () => {
    const s = new AssetMarketState('BTCUSDT', HOUR, 2);
    for (let i = 0; i < 24; i++) s.close(candle(i * HOUR, 100, i === 0 ? 50 : 10));
    expect(s.depth).toBe(24);
    const q = s.quote(candle(24 * HOUR, 100, 20), 100, 24 * HOUR + HOUR / 4, 0.25);
    // 50 + 23 × 10 = 280, minus a quarter of the oldest (12.5), plus a quarter of the current (5).
    expect(q.volume24h).toBeCloseTo(272.5, 8);
    s.close(candle(24 * HOUR, 100, 20));
    expect(s.depth).toBe(24);
    expect(s.quote(candle(25 * HOUR, 100, 10), 100, 25 * HOUR, 0).volume24h).toBeCloseTo(250, 8);
  });

  it('reports 24 h high/low/previous price and a zero volatility for a flat market', () => {
    const s = new AssetMarketState('ETHUSDT', HOUR, 2);
    s.close(candle(0, 100, 1, { high: 120, low: 90, open: 95 }));
    s.close(candle(HOUR, 100));
    const q = s.quote(candle(2 * HOUR, 100), 100, 2 * HOUR, 1);
    expect(q).toMatchObject({ high24h: 120, low24h: 90, prevPrice24h: 95, volatility: 0 });
    expect(q.spread).toBeCloseTo(100 * 0.0002, 10);
    expect(q.bid).toBeCloseTo(99.99, 10);
    expect(q.ask).toBeCloseTo(100.01, 10);
  });

  it('measures volatility as the sample σ of log returns and widens the spread with it', () => {
    const s = new AssetMarketState('SOLUSDT', HOUR, 2);
    const closes = [100, 101, 100, 101, 100];
    closes.slice(0, 4).forEach((c, i) => s.close(candle(i * HOUR, c)));
    const q = s.quote(candle(4 * HOUR, 100), 100, 4 * HOUR, 1);
    const r = Math.log(101 / 100);
    const rets = [r, -r, r, -r];
    const mean = 0;
    const expected = Math.sqrt(rets.reduce((acc, x) => acc + (x - mean) ** 2, 0) / 3);
    expect(q.volatility).toBeCloseTo(expected, 10);
    expect(q.spread).toBeCloseTo(100 * 0.0002 * (1 + Math.min(3, expected / 0.001)), 10);
  });

  it('takes the order-flow imbalance from the candle, else from the last three candles’ momentum', () => {
    const s = new AssetMarketState('BTCUSDT', HOUR, 2);
    [100, 101, 102, 103].forEach((c, i) => s.close(candle(i * HOUR, c)));
    expect(s.quote(candle(4 * HOUR, 104, 10, { flow: -0.4 }), 104, 4 * HOUR, 1).imbalance).toBe(-0.4);
    expect(s.quote(candle(4 * HOUR, 104), 104, 4 * HOUR, 1).imbalance).toBeGreaterThan(0);
  });
});

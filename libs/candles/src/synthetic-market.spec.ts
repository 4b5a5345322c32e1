import { SyntheticCandleSource } from './candle-source';
import { SimCandle } from './sim-candle';
import { SyntheticAssetMarket } from './synthetic-market';

const START = Date.UTC(2024, 0, 1);

function candles(symbol: string, seed: number, n: number): SimCandle[] {
  const m = new SyntheticAssetMarket(symbol, seed, 60_000, START);
  return Array.from({ length: n }, () => m.next());
}

describe('SyntheticAssetMarket', () => {
  it('is deterministic: same seed, symbol and start give identical candles', () => {
    expect(candles('BTCUSDT', 42, 500)).toEqual(candles('BTCUSDT', 42, 500));
  });

  it('differs with another seed or another asset', () => {
    const base = candles('BTCUSDT', 42, 50).map((c) => c.close);
    expect(candles('BTCUSDT', 43, 50).map((c) => c.close)).not.toEqual(base);
    expect(candles('ETHUSDT', 42, 50).map((c) => c.close)).not.toEqual(base);
  });

  it('produces consistent, contiguous OHLCV candles one interval apart', () => {
    const cs = candles('SOLUSDT', 5, 3000);
    cs.forEach((c, i) => {
      expect(c.start).toBe(START + i * 60_000);
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.low).toBeGreaterThan(0);
      expect(c.volume).toBeGreaterThan(0);
      expect(c.flow).toBeGreaterThanOrEqual(-0.95);
      expect(c.flow).toBeLessThanOrEqual(0.95);
      if (i > 0) expect(c.open).toBeCloseTo(cs[i - 1].close, 8);
    });
  });

  it('starts near the asset profile price and stays in a plausible range over several days', () => {
    const cs = candles('BTCUSDT', 42, 6000);
    expect(cs[0].open).toBeCloseTo(60_000, 0);
    const closes = cs.map((c) => c.close);
    expect(Math.min(...closes)).toBeGreaterThan(30_000);
    expect(Math.max(...closes)).toBeLessThan(120_000);
  });

  it('has structure a model can learn: the order-flow imbalance predicts the next 15 candles’ direction', () => {
    const cs = candles('ETHUSDT', 42, 20_000);
    let hits = 0;
    let total = 0;
    for (let t = 0; t + 15 < cs.length; t += 3) {
      const flow = cs[t].flow as number;
      if (Math.abs(flow) < 0.2) continue;
      const forward = cs[t + 15].close - cs[t].close;
      total++;
      if (Math.sign(forward) === Math.sign(flow)) hits++;
    }
    expect(hits / total).toBeGreaterThan(0.7);
  });

  it('continues moves after volume spikes (short-horizon momentum)', () => {
    const cs = candles('BTCUSDT', 42, 30_000);
    let same = 0;
    let spikes = 0;
    for (let t = 20; t + 10 < cs.length; t++) {
      const avg = cs.slice(t - 20, t).reduce((s, c) => s + c.volume, 0) / 20;
      if (cs[t].volume < 4 * avg) continue;
      spikes++;
      const spikeMove = Math.sign(cs[t].close - cs[t].open);
      if (Math.sign(cs[t + 10].close - cs[t].close) === spikeMove) same++;
    }
    expect(spikes).toBeGreaterThan(50);
    expect(same / spikes).toBeGreaterThan(0.65);
  });
});

describe('SyntheticCandleSource', () => {
  it('steps every asset one interval at a time, endlessly', () => {
    const src = new SyntheticCandleSource(['BTCUSDT', 'ETHUSDT'], '5', 1, START);
    const a = src.next();
    const b = src.next();
    expect(a.start).toBe(START);
    expect(b.start).toBe(START + 300_000);
    expect([...a.candles.keys()]).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(src.remaining()).toBe(Infinity);
    expect(src.startTime).toBe(START);
  });
});

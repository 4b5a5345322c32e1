import { bybitInterval, candleTickPrices, intervalMs } from './sim-candle';

describe('candleTickPrices', () => {
  const rising = { open: 100, high: 110, low: 95, close: 105 };
  const falling = { open: 100, high: 104, low: 90, close: 92 };

  it.each([
    ['one tick: the close', rising, 1, [105]],
    ['rising, 4 ticks: low, high, halfway to close, close', rising, 4, [95, 110, 107.5, 105]],
    ['falling, 4 ticks: high, low, halfway to close, close', falling, 4, [104, 90, 91, 92]],
    ['rising, 2 ticks: high at half, close', rising, 2, [110, 105]],
  ])('%s', (_name, candle, ticks, expected) => {
    const prices = candleTickPrices(candle, ticks);
    expect(prices).toHaveLength(expected.length);
    prices.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 10));
  });

  it('never leaves the candle range and always ends at the close', () => {
    for (const ticks of [1, 3, 5, 8, 60]) {
      const prices = candleTickPrices(rising, ticks);
      expect(prices).toHaveLength(ticks);
      expect(prices[ticks - 1]).toBe(105);
      for (const p of prices) {
        expect(p).toBeGreaterThanOrEqual(95);
        expect(p).toBeLessThanOrEqual(110);
      }
    }
  });
});

describe('kline intervals', () => {
  it.each([
    [60_000, '1'],
    [180_000, '3'],
    [3_600_000, '60'],
    [43_200_000, '720'],
    [86_400_000, 'D'],
    [604_800_000, 'W'],
    [120_000, null],
    [1_000, null],
  ])('%i ms is Bybit interval %s', (ms, name) => {
    expect(bybitInterval(ms)).toBe(name);
  });

  it('maps names back to lengths and refuses unknown ones', () => {
    expect(intervalMs('1')).toBe(60_000);
    expect(intervalMs('240')).toBe(14_400_000);
    expect(intervalMs('D')).toBe(86_400_000);
    expect(() => intervalMs('2')).toThrow(/unsupported/);
  });
});

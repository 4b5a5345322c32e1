import { seededRandom as rng } from '@model-service/util';
import { SlidingWindowStats } from './sliding-window-stats';

function twoPass(xs: number[], ddof: 0 | 1): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const ss = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
  return { mean, variance: ss / (xs.length - ddof) };
}


describe('SlidingWindowStats', () => {
  it.each([
    // [capacity, pushed values, expected held values newest-first, population mean, population variance]
    [3, [], [], NaN, NaN],
    [3, [5], [5], 5, 0],
    [3, [1, 2], [2, 1], 1.5, 0.25],
    [3, [1, 2, 3], [3, 2, 1], 2, 2 / 3],
    [3, [1, 2, 3, 4], [4, 3, 2], 3, 2 / 3], // oldest (1) evicted
    [3, [1, 2, 3, 4, 5, 6, 7], [7, 6, 5], 6, 2 / 3], // two laps
    [1, [9, 4], [4], 4, 0],
  ])('capacity %i after %j holds %j (mean %d, var %d)', (cap, xs, held, mean, variance) => {
    const w = new SlidingWindowStats(cap);
    for (const x of xs) w.push(x);
    expect(w.size).toBe(held.length);
    expect(held.map((_, i) => w.at(i))).toEqual(held);
    expect(w.at(held.length)).toBeNaN();
    expect(w.at(-1)).toBeNaN();
    if (Number.isNaN(mean)) {
      expect(w.mean()).toBeNaN();
      expect(w.variance()).toBeNaN();
    } else {
      expect(w.mean()).toBeCloseTo(mean, 12);
      expect(w.variance(0)).toBeCloseTo(variance, 12);
    }
  });

  it('sample variance needs two values', () => {
    const w = new SlidingWindowStats(4);
    w.push(1);
    expect(w.variance(1)).toBeNaN();
    w.push(3);
    expect(w.variance(1)).toBe(2); // (1-2)² + (3-2)² over n-1 = 1
  });

  it('replaceLast changes only the newest value, also right after a lap wraps', () => {
    const w = new SlidingWindowStats(3);
    [1, 2, 3].forEach((x) => w.push(x)); // head wrapped to 0: newest sits at the end of the buffer
    w.replaceLast(30);
    expect([w.at(0), w.at(1), w.at(2)]).toEqual([30, 2, 1]);
    expect(w.mean()).toBeCloseTo(11, 12);
    w.push(4);
    w.replaceLast(40);
    expect([w.at(0), w.at(1), w.at(2)]).toEqual([40, 30, 2]);
    expect(w.mean()).toBeCloseTo(24, 12);
    expect(() => new SlidingWindowStats(2).replaceLast(1)).toThrow(RangeError);
  });

  it.each([0, -1, 2.5, NaN])('rejects capacity %d', (cap) => {
    expect(() => new SlidingWindowStats(cap)).toThrow(RangeError);
  });

  it('a constant window has variance exactly 0 even after a volatile stretch', () => {
    const w = new SlidingWindowStats(20);
    const r = rng(1);
    for (let i = 0; i < 1000; i++) w.push(60_000 + 5_000 * r());
    for (let i = 0; i < 20; i++) w.push(61_234.5);
    expect(w.variance(0)).toBe(0);
    expect(w.mean()).toBeCloseTo(61_234.5, 8);
  });

  it.each([
    ['unit-scale noise', 0, 1],
    ['BTC-like level with tick-size moves', 60_000, 0.5],
    ['stablecoin-like level with tiny moves', 1, 1e-5],
  ])('matches a two-pass recompute over 200k pushes and replaces (%s)', (_name, level, spread) => {
    const cap = 20;
    const w = new SlidingWindowStats(cap);
    const held: number[] = [];
    const r = rng(42);
    let drift = level;
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      drift += spread * (r() - 0.5) * 0.1;
      const x = drift + spread * (r() - 0.5);
      if (held.length > 0 && r() < 0.1) {
        held[held.length - 1] = x;
        w.replaceLast(x);
      } else {
        held.push(x);
        if (held.length > cap) held.shift();
        w.push(x);
      }
      if (i % 97 === 0 && held.length >= 2) {
        const ref = twoPass(held, 1);
        worst = Math.max(worst, Math.abs(w.variance(1) / ref.variance - 1));
        expect(Math.abs(w.mean() - ref.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.mean)));
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });
});

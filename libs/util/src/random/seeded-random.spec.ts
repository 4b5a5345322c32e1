import { seededRandom } from './seeded-random';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const take = (seed: number) => {
      const next = seededRandom(seed);
      return Array.from({ length: 5 }, () => next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  it('draws uniformly in [0, 1)', () => {
    const next = seededRandom(7);
    const draws = Array.from({ length: 100_000 }, () => next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('matches the reference mulberry32 output for seed 1', () => {
    // First value of mulberry32(1), as published with the algorithm.
    expect(seededRandom(1)()).toBeCloseTo(0.6270739405881613, 15);
  });
});

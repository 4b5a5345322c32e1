import { seededRandom } from '@model-service/util';

import { balancedClassWeights, shuffleInPlace } from './training-input';

describe('balancedClassWeights (n / (2 * n_class) on the training split)', () => {
  it.each([
    // labels, from, to, expected [w0, w1]
    [[0, 0, 0, 1], 0, 4, [4 / 6, 4 / 2]],
    [[0, 1, 0, 1], 0, 4, [1, 1]],
    [[1, 1, 1, 0, 0, 0, 0, 0, 0, 1], 0, 10, [10 / 12, 10 / 8]],
    [[0, 0, 0, 1, 1, 1], 0, 3, [1, 1]], // only class 0 in the split: nothing to balance
    [[0, 0, 0, 1, 1, 1], 2, 6, [4 / 2, 4 / 6]], // counts only rows [from, to)
  ])('%j rows [%i, %i) -> %j', (labels, from, to, expected) => {
    const weights = balancedClassWeights(Float32Array.from(labels), from, to);
    expect(weights[0]).toBeCloseTo(expected[0], 12);
    expect(weights[1]).toBeCloseTo(expected[1], 12);
  });
});

describe('seeded shuffling of the training split', () => {
  it('is a permutation, reproducible for a seed and different across seeds', () => {
    const shuffled = (seed: number): number[] => {
      const values = new Uint32Array(50).map((_, i) => i);
      shuffleInPlace(values, seededRandom(seed));
      return Array.from(values);
    };
    expect([...shuffled(1)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled(1)).toEqual(shuffled(1));
    expect(shuffled(1)).not.toEqual(shuffled(2));
  });

  it('draws uniformly in [0, 1)', () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(0.5, 1);
  });
});

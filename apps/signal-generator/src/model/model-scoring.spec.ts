import { buildFeatures, FEATURE_COUNT, FEATURE_INDEX, featureInputFromSignal } from '@model-service/features';
import { randomSnapshot, seededRandom } from '@model-service/features/testing';

import { amountForConfidence, identityCalibration, priorCorrection, scoreSides } from './model-scoring';

describe('priorCorrection (calibration of a class-weighted model)', () => {
  it.each<[string, unknown]>([
    ['no weights', null],
    ['equal weights', [1, 1]],
    ['a zero weight', [0, 2]],
    ['not a pair', [1, 2, 3]],
    ['strings', ['1', '2']],
  ])('is the identity with %s', (_name, weights) => {
    const c = priorCorrection(weights);
    for (const p of [0, 0.2, 0.5, 0.9, 1]) expect(c(p)).toBeCloseTo(p, 12);
  });

  it('maps the balanced midpoint back to the training base rate (10 % positives)', () => {
    // n = 100, 10 positives: w0 = 100 / 180, w1 = 100 / 20.
    const c = priorCorrection([100 / 180, 100 / 20]);
    expect(c(0.5)).toBeCloseTo(0.1, 12);
    expect(c(0)).toBe(0);
    expect(c(1)).toBe(1);
    const xs = [0.1, 0.3, 0.5, 0.7, 0.9].map(c);
    expect(xs.every((x, i) => i === 0 || x > xs[i - 1])).toBe(true);
  });
});

describe('amountForConfidence', () => {
  it.each([
    // confidence, min confidence, expected (min 10, max 100)
    [0.55, 0.55, 10],
    [0.5, 0.55, 10],
    [1, 0.55, 100],
    [0.775, 0.55, 55],
    [0.6, 0, 64],
    [0.9, 1, 100],
  ])('confidence %d with minimum %d gives %d', (conf, min, expected) => {
    expect(amountForConfidence(conf, min, 10, 100)).toBeCloseTo(expected, 6);
  });
});

describe('scoreSides', () => {
  const snapshot = randomSnapshot(seededRandom(3), 0.2);
  const timestamp = '2026-03-04T05:06:07.890Z';

  function scorer(out: [number, number]) {
    const calls: Float32Array[] = [];
    return { calls, predictBatch: (rows: Float32Array) => (calls.push(rows.slice()), Float32Array.from(out)) };
  }

  it('scores BUY and SELL in one call on the features the trainer builds for the signal, as float32', () => {
    const model = scorer([0.7, 0.2]);
    const s = scoreSides(model, snapshot, timestamp);
    expect(model.calls).toHaveLength(1);
    const rows = model.calls[0];
    expect(rows).toHaveLength(2 * FEATURE_COUNT);
    const buy = buildFeatures(featureInputFromSignal({ signal_type: 'buy', timestamp, market_data_snapshot: snapshot }));
    const sell = buildFeatures(featureInputFromSignal({ signal_type: 'sell', timestamp, market_data_snapshot: snapshot }));
    expect(Array.from(rows.subarray(0, FEATURE_COUNT))).toEqual(Array.from(Float32Array.from(buy)));
    expect(Array.from(rows.subarray(FEATURE_COUNT))).toEqual(Array.from(Float32Array.from(sell)));
    expect([rows[FEATURE_INDEX['side']], rows[FEATURE_COUNT + FEATURE_INDEX['side']]]).toEqual([1, -1]);
    expect(Array.from(s.buy.vector)).toEqual(Array.from(buy));
    expect(s).toMatchObject({ best: 'buy', buy: { probability: expect.closeTo(0.7, 6), raw: expect.closeTo(0.7, 6) } });
  });

  it.each<[[number, number], 'buy' | 'sell']>([
    [[0.2, 0.7], 'sell'],
    [[0.5, 0.5], 'buy'],
    [[0.51, 0.5], 'buy'],
  ])('chooses the likelier side: %j -> %s', (out, best) => {
    expect(scoreSides(scorer(out), snapshot, timestamp, identityCalibration).best).toBe(best);
  });

  it('applies the calibration to both sides', () => {
    const s = scoreSides(scorer([0.5, 0.25]), snapshot, timestamp, (p) => p / 2);
    expect([s.buy.probability, s.sell.probability, s.buy.raw]).toEqual([0.25, 0.125, 0.5]);
  });

  it('refuses a non-finite model output', () => {
    expect(() => scoreSides(scorer([NaN, 0.2]), snapshot, timestamp)).toThrow(RangeError);
  });
});

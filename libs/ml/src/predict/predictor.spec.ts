import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { currentBackend, initTensorflow } from '../backend/tensorflow-backend';
import { evaluate } from '../evaluation/evaluate';
import { buildModel } from '../model/model-factory';
import { saveModelVersion } from '../store/model-store-writer';
import { loadPredictor } from './predictor';
import type { Predictor } from './predictor';

const names = ['spread_bps', 'log_volume', 'volatility'];
let root: string;
let predictor: Predictor;

beforeAll(async () => {
  await initTensorflow();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'ml-predictor-'));
  // Logistic model with known weights: p = sigmoid(2 * z0 - 1 * z1 + 0 * z2 + 0.5), z = (x - mean) / std.
  const model = buildModel('logistic', 3);
  model.setWeights([tf.tensor2d([[2], [-1], [0]]), tf.tensor1d([0.5])]);
  await saveModelVersion(path.join(root, 'v1'), model, {
    version: 'v1',
    strategy_id: 's1',
    model_type: 'logistic',
    feature_set_version: 'fs-1',
    feature_names: names,
    normalization: { feature_set_version: 'fs-1', names, mean: [10, 100, 0], std: [2, 50, 0] },
    training_config: {},
    metrics: {},
    created_at: '2026-01-01T00:00:00.000Z',
  });
  model.dispose();
  predictor = await loadPredictor(path.join(root, 'v1'), { feature_set_version: 'fs-1' });
});

afterAll(async () => {
  predictor.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('Predictor', () => {
  it.each([
    // raw row, hand-computed logit: 2 * (x0 - 10) / 2 - (x1 - 100) / 50 + 0.5 (x2 has std 0: centred, unscaled, weight 0)
    [[10, 100, 5], 0.5],
    [[12, 100, 0], 2.5],
    [[10, 150, 0], -0.5],
    [[6, 0, 123], -4 + 2 + 0.5],
  ])('predict(%j) applies the saved normalisation: sigmoid(%s)', (row, logit) => {
    expect(predictor.predict(row)).toBeCloseTo(sigmoid(logit), 6);
    expect(predictor.predict(Float32Array.from(row))).toBeCloseTo(sigmoid(logit), 6);
  });

  it('predictBatch accepts a flat matrix or an array of rows and agrees with predict', () => {
    const rows = [
      [10, 100, 5],
      [12, 100, 0],
      [6, 0, 123],
    ];
    const fromRows = predictor.predictBatch(rows);
    const fromFlat = predictor.predictBatch(Float32Array.from(rows.flat()));
    expect(Array.from(fromFlat)).toEqual(Array.from(fromRows));
    rows.forEach((row, i) => expect(fromRows[i]).toBeCloseTo(predictor.predict(row), 6));
  });

  it('exposes the version and feature contract', () => {
    expect(predictor).toMatchObject({ version: 'v1', strategyId: 's1', modelType: 'logistic', featureSetVersion: 'fs-1', featureNames: names });
    expect(currentBackend()).not.toBeNull();
  });

  it.each([
    [[1, 2], /has 2 values, model v1 expects 3/],
    [[1, NaN, 3], /feature 'log_volume' of vector 0 is NaN/],
    [[1, 2, Infinity], /feature 'volatility' of vector 0 is Infinity/],
  ])('refuses %j', (row, message) => {
    expect(() => predictor.predict(row)).toThrow(message);
  });

  it('does not leak tensors per prediction', () => {
    predictor.predict([10, 100, 0]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) predictor.predict([10 + i, 100, 0]);
    predictor.predictBatch([[1, 2, 3]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('can be evaluated on raw rows like a model', () => {
    const X = Float32Array.from([12, 100, 0, 6, 0, 0, 10, 150, 0, 14, 100, 0]); // p > .5, < .5, < .5, > .5
    const report = evaluate(predictor, X, [1, 0, 1, 1], [0.01, -0.02, 0.03, 0.02], 0, 4);
    expect(report.classification.accuracy).toBeCloseTo(0.75, 12);
    expect(report.trading).toMatchObject({ trades: 2, win_rate: 1 });
    expect(report.trading.total_return).toBeCloseTo(0.03, 6);
    expect(report.baseline.majority_class).toBe(1);
  });

  it('cannot be used after dispose', async () => {
    const other = await loadPredictor(path.join(root, 'v1'), { feature_set_version: 'fs-1' });
    other.dispose();
    expect(() => other.predict([1, 2, 3])).toThrow(/disposed/);
  });
});

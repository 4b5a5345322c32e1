import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { buildFeatures, FEATURE_COUNT, FEATURE_INDEX, FEATURE_NAMES, FEATURE_SET_VERSION, fitNormalizer, normalizeMatrix } from '@model-service/features';
import { randomSnapshot, seededRandom } from '@model-service/features/testing';

import { initTensorflow } from '../backend/tensorflow-backend';
import { buildModel } from '../model/model-factory';
import { predictProbabilities } from '../model/predict-probabilities';
import { saveModelVersion } from '../store/model-store-writer';
import { loadPredictor } from './predictor';

/**
 * Train/serve parity: a Predictor fed RAW fs-1 vectors (as signal-generator builds them) must score exactly
 * what the model saw in training, i.e. the rows normalised by libs/features (missing → 0, clipped).
 */
describe('Predictor normalisation parity with libs/features', () => {
  let root: string;

  beforeAll(async () => {
    await initTensorflow();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ml-parity-'));
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('scores raw vectors with missing values and outliers like the normalised training rows', async () => {
    const rand = seededRandom(5);
    const n = 400;
    const raw = new Float32Array(n * FEATURE_COUNT);
    for (let i = 0; i < n; i++) {
      const snapshot = randomSnapshot(rand, 0.3);
      const row = buildFeatures({ snapshot, side: i % 2 ? 'buy' : 'sell', timestamp: 1_767_225_600_000 + i * 60_000 });
      raw.set(row, i * FEATURE_COUNT);
    }
    // A few extreme values (a bad tick): normalised values are clipped in training.
    raw[7 * FEATURE_COUNT + FEATURE_INDEX['spread_bps']] = 1e6;
    raw[9 * FEATURE_COUNT + FEATURE_INDEX['volume_zscore']] = -1e5;
    const stats = fitNormalizer(raw.subarray(0, 300 * FEATURE_COUNT), FEATURE_COUNT);
    const normalised = normalizeMatrix(stats, raw, new Float32Array(raw.length)) as Float32Array;

    const model = buildModel('mlp', FEATURE_COUNT, { seed: 3 });
    const expected = predictProbabilities(model, normalised, FEATURE_COUNT, 0, n);
    await saveModelVersion(path.join(root, 'p1'), model, {
      version: 'p1',
      strategy_id: 's',
      model_type: 'mlp',
      feature_set_version: FEATURE_SET_VERSION,
      feature_names: FEATURE_NAMES,
      normalization: stats,
      training_config: {},
      metrics: {},
      created_at: new Date(0),
    });
    model.dispose();

    const predictor = await loadPredictor(path.join(root, 'p1'), { feature_set_version: FEATURE_SET_VERSION });
    const batch = predictor.predictBatch(raw);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(batch[i] - expected[i]));
    expect(worst).toBeLessThan(1e-6);
    for (const i of [0, 7, 9]) {
      expect(predictor.predict(raw.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT))).toBeCloseTo(expected[i], 6);
    }
    predictor.dispose();
  });
});

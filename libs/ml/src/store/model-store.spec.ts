import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { initTensorflow } from '../backend/tensorflow-backend';
import { modelToArtifacts } from '../model/model-artifacts';
import { predictProbabilities } from '../model/predict-probabilities';
import { loadPredictor } from '../predict/predictor';
import { fitNormalization, makeSyntheticDataset, normalizeRows } from '../testing';
import { trainModel } from '../training/train-model';
import { ModelLoadError } from './model-load-error';
import { loadModelVersion, readModelVersion } from './model-store-reader';
import { removeModelVersion, saveModelVersion } from './model-store-writer';
import type { ModelVersionMeta } from './model-store.types';

jest.setTimeout(30_000);

const FEATURE_SET = 'fs-test-1';
const ds = makeSyntheticDataset({ n: 2_000, nFeatures: 6, seed: 21 });
const stats = fitNormalization(ds.X, 1_600, ds.featureNames, FEATURE_SET);
const X = normalizeRows(ds.X, stats);
let model: tf.LayersModel;
let root: string;

function meta(version: string): ModelVersionMeta {
  return {
    version,
    strategy_id: 'strategy-a',
    model_type: 'mlp',
    feature_set_version: FEATURE_SET,
    feature_names: ds.featureNames,
    normalization: stats,
    training_config: { epochs: 3 },
    metrics: { accuracy: 0.9 },
    created_at: new Date('2026-01-02T03:04:05Z'),
  };
}

beforeAll(async () => {
  await initTensorflow();
  ({ model } = await trainModel({
    X, y: ds.y, n: ds.n, nFeatures: 6, validationFrom: 1_600, modelType: 'mlp',
    epochs: 3, batchSize: 128, learningRate: 0.01, patience: 3, classWeight: 'balanced',
  }));
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'ml-store-'));
});

afterAll(async () => {
  model.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

describe('saveModelVersion / loadModelVersion', () => {
  it('writes the five files atomically and leaves no temporary directory', async () => {
    const dir = path.join(root, 'v-files');
    const saved = await saveModelVersion(dir, model, meta('v-files'));
    expect((await fs.readdir(dir)).sort()).toEqual(['feature-spec.json', 'metadata.json', 'model.json', 'normalization.json', 'weights.bin']);
    expect((await fs.readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
    const metadata = JSON.parse(await fs.readFile(path.join(dir, 'metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({ version: 'v-files', strategy_id: 'strategy-a', feature_set_version: FEATURE_SET, n_features: 6, created_at: '2026-01-02T03:04:05.000Z', checksum: saved.checksum });
    expect(Object.keys(metadata.files).sort()).toEqual(['feature-spec.json', 'model.json', 'normalization.json', 'weights.bin']);
    const modelJson = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
  });

  it('round trip: the loaded predictor on raw rows gives exactly the original model on normalised rows', async () => {
    const dir = path.join(root, 'v-roundtrip');
    await saveModelVersion(dir, model, meta('v-roundtrip'));
    const predictor = await loadPredictor(dir, { feature_set_version: FEATURE_SET, feature_names: ds.featureNames });
    const expected = predictProbabilities(model, X, 6, 1_600, 2_000);
    const batch = predictor.predictBatch(ds.X.subarray(1_600 * 6, 2_000 * 6));
    expect(Array.from(batch)).toEqual(Array.from(expected));
    for (const i of [0, 17, 399]) {
      const raw = Array.from(ds.X.subarray((1_600 + i) * 6, (1_601 + i) * 6));
      expect(predictor.predict(raw)).toBeCloseTo(batch[i], 6); // batch shape may change summation order on some backends
      expect(predictor.predict(Float32Array.from(raw))).toBe(predictor.predict(raw));
    }
    expect(predictor).toMatchObject({ version: 'v-roundtrip', strategyId: 'strategy-a', modelType: 'mlp', featureSetVersion: FEATURE_SET });
    predictor.dispose();
  });

  it('saved artifacts (as the training worker returns them) load to identical predictions', async () => {
    const dir = path.join(root, 'v-artifacts');
    await saveModelVersion(dir, await modelToArtifacts(model), meta('v-artifacts'));
    const loaded = await loadModelVersion(dir, { feature_set_version: FEATURE_SET });
    expect(Array.from(predictProbabilities(loaded.model, X, 6, 0, 200))).toEqual(Array.from(predictProbabilities(model, X, 6, 0, 200)));
    loaded.model.dispose();
  });

  it('refuses to overwrite an existing version', async () => {
    const dir = path.join(root, 'v-twice');
    await saveModelVersion(dir, model, meta('v-twice'));
    await expect(saveModelVersion(dir, model, meta('v-twice'))).rejects.toThrow(/already exists/);
  });

  it('a failed write (disk full) leaves neither the version nor a temporary directory behind', async () => {
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const spy = jest.spyOn(fs, 'rename').mockRejectedValueOnce(diskFull);
    try {
      await expect(saveModelVersion(path.join(root, 'v-full'), model, meta('v-full'))).rejects.toMatchObject({ code: 'ENOSPC' });
    } finally {
      spy.mockRestore();
    }
    expect((await fs.readdir(root)).filter((name) => name.includes('v-full'))).toEqual([]);
  });

  it('refuses metadata whose normalisation does not match the features', async () => {
    const bad = { ...meta('v-bad'), normalization: { ...stats, mean: stats.mean.slice(1) } };
    await expect(saveModelVersion(path.join(root, 'v-bad'), model, bad)).rejects.toThrow(/5 means/);
    await expect(fs.stat(path.join(root, 'v-bad'))).rejects.toThrow();
  });
});

describe('loading a damaged or foreign version fails with ModelLoadError', () => {
  async function freshVersion(name: string): Promise<string> {
    const dir = path.join(root, name);
    await saveModelVersion(dir, model, meta(name));
    return dir;
  }

  async function loadError(dir: string, expected = { feature_set_version: FEATURE_SET } as { feature_set_version: string; feature_names?: string[] }): Promise<ModelLoadError> {
    const error = await loadModelVersion(dir, expected).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    return error as ModelLoadError;
  }

  it('one flipped byte in weights.bin -> checksum_mismatch naming the file', async () => {
    const dir = await freshVersion('v-tampered');
    const weights = await fs.readFile(path.join(dir, 'weights.bin'));
    weights[10] ^= 0x01;
    await fs.writeFile(path.join(dir, 'weights.bin'), weights);
    const error = await loadError(dir);
    expect(error.reason).toBe('checksum_mismatch');
    expect(error.message).toContain('weights.bin');
  });

  it('edited normalization.json -> checksum_mismatch', async () => {
    const dir = await freshVersion('v-norm');
    const file = path.join(dir, 'normalization.json');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('"mean": [', '"mean": [1'));
    expect((await loadError(dir)).reason).toBe('checksum_mismatch');
  });

  it('another feature-set version -> feature_set_mismatch with both versions in the message', async () => {
    const dir = await freshVersion('v-fs');
    const error = await loadError(dir, { feature_set_version: 'fs-test-2' });
    expect(error.reason).toBe('feature_set_mismatch');
    expect(error.message).toMatch(/fs-test-1.*fs-test-2/);
    await expect(loadPredictor(dir, { feature_set_version: 'fs-test-2' })).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('another feature order -> feature_set_mismatch', async () => {
    const dir = await freshVersion('v-order');
    const reordered = [...ds.featureNames].reverse();
    expect((await loadError(dir, { feature_set_version: FEATURE_SET, feature_names: reordered })).reason).toBe('feature_set_mismatch');
  });

  it.each([
    ['weights.bin', 'missing_file'],
    ['metadata.json', 'missing_file'],
    ['model.json', 'missing_file'],
  ])('deleted %s -> %s', async (file, reason) => {
    const dir = await freshVersion(`v-missing-${file}`);
    await fs.rm(path.join(dir, file));
    const error = await loadError(dir);
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(file);
  });

  it('a directory that does not exist -> missing_file', async () => {
    expect((await loadError(path.join(root, 'nope'))).reason).toBe('missing_file');
  });

  it('garbage metadata.json -> corrupt', async () => {
    const dir = await freshVersion('v-garbage');
    await fs.writeFile(path.join(dir, 'metadata.json'), '{not json');
    expect((await loadError(dir)).reason).toBe('corrupt');
  });

  it('readModelVersion verifies without TensorFlow.js and returns the metadata', async () => {
    const dir = await freshVersion('v-read');
    const files = await readModelVersion(dir, { feature_set_version: FEATURE_SET });
    expect(files.metadata.feature_names).toEqual(ds.featureNames);
    expect(files.normalization.mean).toHaveLength(6);
    expect(files.artifacts.weightData.byteLength).toBe((6 * 64 + 64 + 64 * 32 + 32 + 32 + 1) * 4);
  });
});

describe('removeModelVersion', () => {
  it('removes a version directory and reports whether it existed', async () => {
    const dir = path.join(root, 'v-remove');
    await saveModelVersion(dir, model, meta('v-remove'));
    expect(await removeModelVersion(dir)).toBe(true);
    await expect(fs.stat(dir)).rejects.toThrow();
    expect(await removeModelVersion(dir)).toBe(false);
    expect((await fs.readdir(root)).filter((name) => name.includes('v-remove'))).toEqual([]);
  });

  it('refuses a directory that is not a model version', async () => {
    const dir = path.join(root, 'not-a-model');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'precious.txt'), 'keep me');
    await expect(removeModelVersion(dir)).rejects.toThrow(/refusing/);
    expect(await fs.readFile(path.join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});

/**
 * Test helpers for code that trains or loads models (alias `@model-service/ml/testing` once it is added to
 * tsconfig.base.json; inside this lib import it relatively).
 */
import { seededRandom } from '@model-service/util';
import type { NormalizationStatsData } from './store/model-store.types';
import type { TrainModelOptions } from './training/training-types';

export interface SyntheticDatasetOptions {
  n: number;
  nFeatures: number;
  /** Probability that a label is flipped after the rule; the best achievable accuracy is 1 - flipProbability. */
  flipProbability?: number;
  /** Labels independent of the features (coin flips): nothing to learn, best accuracy ~0.5. */
  pureNoise?: boolean;
  /** Share of label 1 under pureNoise (default 0.5). */
  positiveRate?: number;
  /** Raw features are offset * scale'd so that normalisation matters (default 3 and 5). */
  scale?: number;
  offset?: number;
  seed?: number;
}

export interface SyntheticDataset {
  X: Float32Array;
  y: Float32Array;
  /** Per-row trade return: positive for label 1, negative for label 0. */
  returns: Float32Array;
  n: number;
  nFeatures: number;
  featureNames: string[];
  /** Accuracy of the Bayes-optimal classifier (the planted rule itself), in expectation. */
  bayesAccuracy: number;
  /** The planted rule's own decision per row (1 when w·x > 0): its accuracy on any rows is the ceiling there. */
  rule: Uint8Array;
}

/**
 * Rows x ~ N(0, 1)^nFeatures (then scaled and offset); label = (w·x > 0) XOR (u < flipProbability).
 * The planted rule is the best possible classifier, so its accuracy, 1 - flipProbability, is the ceiling.
 */
export function makeSyntheticDataset(options: SyntheticDatasetOptions): SyntheticDataset {
  const { n, nFeatures } = options;
  const flip = options.pureNoise ? 0.5 : (options.flipProbability ?? 0.1);
  // Pure noise: labels are 1 with probability positiveRate, whatever the features.
  const positiveRate = options.positiveRate ?? 0.5;
  const scale = options.scale ?? 3;
  const offset = options.offset ?? 5;
  const random = seededRandom(options.seed ?? 7);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const w = Array.from({ length: nFeatures }, gaussian);
  const X = new Float32Array(n * nFeatures);
  const y = new Float32Array(n);
  const returns = new Float32Array(n);
  const ruleOut = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let score = 0;
    for (let j = 0; j < nFeatures; j++) {
      const z = gaussian();
      score += w[j] * z;
      X[i * nFeatures + j] = z * scale + offset;
    }
    const rule = score > 0 ? 1 : 0;
    ruleOut[i] = rule;
    const label = options.pureNoise ? (random() < positiveRate ? 1 : 0) : random() < flip ? 1 - rule : rule;
    y[i] = label;
    returns[i] = (label === 1 ? 1 : -1) * (0.002 + 0.01 * random());
  }
  return {
    X,
    y,
    returns,
    n,
    nFeatures,
    featureNames: Array.from({ length: nFeatures }, (_, j) => `f${j}`),
    bayesAccuracy: options.pureNoise ? 0.5 : 1 - flip,
    rule: ruleOut,
  };
}

/** Share of rows `[from, to)` where the planted rule's decision equals the label. */
export function ruleAccuracy(ds: Pick<SyntheticDataset, 'rule' | 'y'>, from: number, to: number): number {
  let right = 0;
  for (let i = from; i < to; i++) right += ds.rule[i] === ds.y[i] ? 1 : 0;
  return right / (to - from);
}

/** Mean/std per feature over rows `[0, rows)` (the training split), as libs/features would fit them. */
export function fitNormalization(
  X: Float32Array,
  rows: number,
  featureNames: string[],
  featureSetVersion = 'synthetic-v1',
): NormalizationStatsData & { mean: number[]; std: number[]; names: string[] } {
  const F = featureNames.length;
  const mean = new Array<number>(F).fill(0);
  const std = new Array<number>(F).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < F; j++) mean[j] += X[i * F + j] / rows;
  for (let i = 0; i < rows; i++) for (let j = 0; j < F; j++) std[j] += (X[i * F + j] - mean[j]) ** 2 / rows;
  return { feature_set_version: featureSetVersion, names: [...featureNames], mean, std: std.map(Math.sqrt) };
}

/** (x - mean) / std for every row, into a new array. */
export function normalizeRows(X: Float32Array, stats: { mean: ArrayLike<number>; std: ArrayLike<number> }): Float32Array {
  const F = stats.mean.length;
  const out = new Float32Array(X.length);
  for (let i = 0; i < X.length; i++) out[i] = (X[i] - stats.mean[i % F]) / (stats.std[i % F] || 1);
  return out;
}

/**
 * A training job on a synthetic dataset: its rows normalised with the statistics of the training rows (those
 * before `validationFrom`, by default the first 80 %), a balanced MLP run the specs start from; `settings` override.
 */
export function syntheticTrainingJob(ds: SyntheticDataset, settings: Partial<TrainModelOptions> = {}): TrainModelOptions {
  const validationFrom = settings.validationFrom ?? Math.floor(ds.n * 0.8);
  return {
    X: normalizeRows(ds.X, fitNormalization(ds.X, validationFrom, ds.featureNames)),
    y: ds.y,
    n: ds.n,
    nFeatures: ds.nFeatures,
    validationFrom,
    modelType: 'mlp',
    epochs: 5,
    batchSize: 256,
    learningRate: 0.005,
    patience: 3,
    classWeight: 'balanced',
    ...settings,
  };
}

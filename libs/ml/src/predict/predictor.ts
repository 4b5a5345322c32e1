import { missingFlagIndices, NORMALIZED_CLIP } from '@model-service/features';
import * as tf from '@tensorflow/tfjs';

import type { ModelType } from '../model/model-factory';
import { predictProbabilities } from '../model/predict-probabilities';
import { loadModelVersion } from '../store/model-store-reader';
import type { ExpectedModel, ModelMetadata, StoredNormalization } from '../store/model-store.types';

export type FeatureRow = Float32Array | readonly number[];

/** A loaded model version that scores raw (un-normalised) feature vectors, normalised exactly as for training. */
export interface Predictor {
  readonly version: string;
  readonly strategyId: string;
  readonly modelType: ModelType;
  readonly featureSetVersion: string;
  readonly featureNames: readonly string[];
  readonly metadata: ModelMetadata;
  /** P(profitable) for one raw feature vector in `featureNames` order; the saved normalisation is applied inside. */
  predict(row: FeatureRow): number;
  /** P(profitable) for many rows: a flat row-major Float32Array (k * nFeatures) or an array of rows. */
  predictBatch(rows: Float32Array | readonly FeatureRow[]): Float32Array;
  /** Frees the model's tensors; the predictor cannot be used afterwards. */
  dispose(): void;
}

class LayersPredictor implements Predictor {
  readonly version: string;
  readonly strategyId: string;
  readonly modelType: ModelType;
  readonly featureSetVersion: string;
  readonly featureNames: readonly string[];
  private readonly nFeatures: number;
  private readonly mean: Float64Array;
  private readonly std: Float64Array;
  private readonly rowBuffer: Float32Array;
  /** Index of each feature's `_missing` flag (-1 = none), as libs/features normalises for training. */
  private readonly missingFlags: Int32Array;
  private disposed = false;

  constructor(
    private readonly model: tf.LayersModel,
    normalization: StoredNormalization,
    readonly metadata: ModelMetadata,
  ) {
    this.version = metadata.version;
    this.strategyId = metadata.strategy_id;
    this.modelType = metadata.model_type;
    this.featureSetVersion = metadata.feature_set_version;
    this.featureNames = Object.freeze([...metadata.feature_names]);
    this.nFeatures = this.featureNames.length;
    this.mean = Float64Array.from(normalization.mean);
    // A constant feature (std 0) is centred but not scaled.
    this.std = Float64Array.from(normalization.std, (s) => (s > 1e-12 && Number.isFinite(s) ? s : 1));
    this.rowBuffer = new Float32Array(this.nFeatures);
    this.missingFlags = missingFlagIndices(this.featureNames);
  }

  predict(row: FeatureRow): number {
    this.normaliseInto(row, this.rowBuffer, 0, 0);
    return tf.tidy(() => (this.model.predict(tf.tensor2d(this.rowBuffer, [1, this.nFeatures])) as tf.Tensor).dataSync()[0]);
  }

  predictBatch(rows: Float32Array | readonly FeatureRow[]): Float32Array {
    const F = this.nFeatures;
    let k: number;
    let normalised: Float32Array;
    if (rows instanceof Float32Array) {
      if (rows.length % F !== 0) throw new RangeError(`predictBatch: ${rows.length} values is not a multiple of ${F} features`);
      k = rows.length / F;
      normalised = new Float32Array(rows.length);
      for (let r = 0; r < k; r++) this.normaliseInto(rows.subarray(r * F, (r + 1) * F), normalised, r * F, r);
    } else {
      k = rows.length;
      normalised = new Float32Array(k * F);
      rows.forEach((row, r) => this.normaliseInto(row, normalised, r * F, r));
    }
    this.assertUsable();
    return predictProbabilities(this.model, normalised, F, 0, k);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error(`predictor for model ${this.version} has been disposed`);
  }

  private normaliseInto(row: FeatureRow, out: Float32Array, offset: number, rowIndex: number): void {
    this.assertUsable();
    if (row.length !== this.nFeatures) {
      throw new RangeError(`feature vector ${rowIndex} has ${row.length} values, model ${this.version} expects ${this.nFeatures}`);
    }
    for (let i = 0; i < this.nFeatures; i++) {
      const value = row[i];
      if (!Number.isFinite(value)) {
        throw new RangeError(`feature '${this.featureNames[i]}' of vector ${rowIndex} is ${value}; missing values must be imputed before inference`);
      }
    }
    // The same transform as libs/features' normaliser used for training (train/serve parity): a value whose
    // `_missing` flag is set becomes 0 (the training mean), others are standardised and clipped.
    for (let i = 0; i < this.nFeatures; i++) {
      const flag = this.missingFlags[i];
      let z = flag >= 0 && row[flag] !== 0 ? 0 : (row[i] - this.mean[i]) / this.std[i];
      if (z > NORMALIZED_CLIP) z = NORMALIZED_CLIP;
      else if (z < -NORMALIZED_CLIP) z = -NORMALIZED_CLIP;
      out[offset + i] = z;
    }
  }
}

/** Wraps an in-memory model plus its saved normalisation and metadata as a Predictor. */
export function createPredictor(model: tf.LayersModel, normalization: StoredNormalization, metadata: ModelMetadata): Predictor {
  return new LayersPredictor(model, normalization, metadata);
}

/**
 * Loads a stored version (checksums and feature-set version verified, ModelLoadError otherwise), initialising
 * TensorFlow.js if needed, and returns a Predictor for raw feature vectors.
 */
export async function loadPredictor(dir: string, expected: ExpectedModel): Promise<Predictor> {
  const { model, normalization, metadata } = await loadModelVersion(dir, expected);
  return createPredictor(model, normalization, metadata);
}

export function isPredictor(value: unknown): value is Predictor {
  return typeof value === 'object' && value !== null && typeof (value as Predictor).predictBatch === 'function' && 'featureSetVersion' in value;
}

import type { ModelType } from '../model/model-factory';

/** Plain-data normalisation statistics, as libs/features fits them on the training split. */
export interface NormalizationStatsData {
  feature_set_version: string;
  names: readonly string[];
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

export interface ModelVersionMeta {
  version: string;
  strategy_id: string;
  model_type: ModelType;
  feature_set_version: string;
  feature_names: readonly string[];
  normalization: NormalizationStatsData;
  training_config: Record<string, unknown>;
  metrics: Record<string, unknown>;
  created_at: string | Date;
}

/** Contents of `metadata.json`. */
export interface ModelMetadata {
  format_version: 1;
  version: string;
  strategy_id: string;
  model_type: ModelType;
  feature_set_version: string;
  feature_names: string[];
  n_features: number;
  training_config: Record<string, unknown>;
  metrics: Record<string, unknown>;
  created_at: string;
  /** sha256 (hex) of every other file, by file name. */
  files: Record<string, string>;
  /** sha256 over "name sha256\n" lines of the files above, in MODEL_FILES order. */
  checksum: string;
}

export interface StoredNormalization {
  feature_set_version: string;
  names: string[];
  mean: number[];
  std: number[];
}

export interface ExpectedModel {
  /** Refuse a model built for another feature-set version. */
  feature_set_version: string;
  /** Optionally also require this exact feature order. */
  feature_names?: readonly string[];
}

export interface SavedModelVersion {
  dir: string;
  checksum: string;
  bytes: number;
}

/** Files of one version besides metadata.json, in checksum order. */
export const MODEL_FILES = ['model.json', 'weights.bin', 'feature-spec.json', 'normalization.json'] as const;
export const METADATA_FILE = 'metadata.json';

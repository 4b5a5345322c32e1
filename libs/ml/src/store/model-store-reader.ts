import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { initTensorflow } from '../backend/tensorflow-backend';
import { modelFromArtifacts } from '../model/model-artifacts';
import type { ModelArtifactsData } from '../model/model-artifacts';
import { modelInputSize } from '../model/model-factory';
import { combinedChecksum, sha256 } from './model-checksum';
import { ModelLoadError } from './model-load-error';
import { METADATA_FILE, MODEL_FILES } from './model-store.types';
import type { ExpectedModel, ModelMetadata, StoredNormalization } from './model-store.types';

export interface ModelVersionFiles {
  dir: string;
  metadata: ModelMetadata;
  normalization: StoredNormalization;
  artifacts: ModelArtifactsData;
}

export interface LoadedModelVersion extends Omit<ModelVersionFiles, 'artifacts'> {
  model: tf.LayersModel;
}

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

async function readFile(dir: string, name: string): Promise<Buffer> {
  try {
    return await fs.readFile(path.join(dir, name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelLoadError(code === 'ENOENT' ? 'missing_file' : 'corrupt', dir, `${name}: ${(err as Error).message}`);
  }
}

function parseJson<T>(dir: string, name: string, data: Buffer): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (err) {
    throw new ModelLoadError('corrupt', dir, `${name} is not valid JSON (${(err as Error).message})`);
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Reads and verifies a version without TensorFlow.js: every file against its sha256 in metadata.json, the
 * combined checksum, the feature-set version (and optionally feature order), the weights' size.
 * Throws ModelLoadError with the reason and the offending file.
 */
export async function readModelVersion(dir: string, expected: ExpectedModel): Promise<ModelVersionFiles> {
  const root = path.resolve(dir);
  const metadata = parseJson<ModelMetadata>(root, METADATA_FILE, await readFile(root, METADATA_FILE));
  if (!metadata || typeof metadata.files !== 'object' || !metadata.files || typeof metadata.checksum !== 'string') {
    throw new ModelLoadError('corrupt', root, `${METADATA_FILE} has no files/checksum`);
  }
  const contents: Record<string, Buffer> = {};
  for (const name of MODEL_FILES) {
    contents[name] = await readFile(root, name);
    const actual = sha256(contents[name]);
    if (actual !== metadata.files[name]) {
      throw new ModelLoadError('checksum_mismatch', root, `${name} has sha256 ${actual}, metadata records ${metadata.files[name]}`);
    }
  }
  if (combinedChecksum(metadata.files) !== metadata.checksum) {
    throw new ModelLoadError('checksum_mismatch', root, `combined checksum differs from ${metadata.checksum}`);
  }

  const featureSpec = parseJson<{ feature_set_version: string; feature_names: string[] }>(root, 'feature-spec.json', contents['feature-spec.json']);
  const normalization = parseJson<StoredNormalization>(root, 'normalization.json', contents['normalization.json']);
  if (metadata.feature_set_version !== expected.feature_set_version) {
    throw new ModelLoadError(
      'feature_set_mismatch',
      root,
      `model was trained on feature set ${metadata.feature_set_version}, this service computes ${expected.feature_set_version}`,
    );
  }
  const names = metadata.feature_names;
  if (
    featureSpec.feature_set_version !== metadata.feature_set_version ||
    normalization.feature_set_version !== metadata.feature_set_version ||
    !sameNames(featureSpec.feature_names, names) ||
    !sameNames(normalization.names, names) ||
    normalization.mean.length !== names.length ||
    normalization.std.length !== names.length
  ) {
    throw new ModelLoadError('corrupt', root, 'metadata, feature-spec.json and normalization.json disagree on the features');
  }
  if (expected.feature_names && !sameNames(expected.feature_names, names)) {
    throw new ModelLoadError('feature_set_mismatch', root, `feature order differs: saved [${names.join(', ')}]`);
  }

  const modelJson = parseJson<ModelJson>(root, 'model.json', contents['model.json']);
  const manifest = modelJson.weightsManifest?.[0];
  if (!modelJson.modelTopology || !manifest || modelJson.weightsManifest?.length !== 1) {
    throw new ModelLoadError('corrupt', root, 'model.json needs a modelTopology and one weightsManifest group');
  }
  const weights = contents['weights.bin'];
  const expectedBytes = manifest.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_DTYPE[w.dtype] ?? 4), 0);
  if (expectedBytes !== weights.byteLength) {
    throw new ModelLoadError('corrupt', root, `weights.bin has ${weights.byteLength} bytes, the manifest needs ${expectedBytes}`);
  }
  return {
    dir: root,
    metadata,
    normalization,
    artifacts: {
      modelTopology: modelJson.modelTopology,
      weightSpecs: manifest.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
    },
  };
}

/** `readModelVersion`, then rebuilds the model on the initialised backend (checks its input size too). */
export async function loadModelVersion(dir: string, expected: ExpectedModel): Promise<LoadedModelVersion> {
  const { artifacts, ...files } = await readModelVersion(dir, expected);
  await initTensorflow();
  let model: tf.LayersModel;
  try {
    model = await modelFromArtifacts(artifacts);
  } catch (err) {
    throw new ModelLoadError('invalid_model', files.dir, (err as Error).message);
  }
  const inputs = modelInputSize(model);
  if (inputs !== files.metadata.n_features) {
    model.dispose();
    throw new ModelLoadError('corrupt', files.dir, `model expects ${inputs} inputs, metadata lists ${files.metadata.n_features} features`);
  }
  return { ...files, model };
}

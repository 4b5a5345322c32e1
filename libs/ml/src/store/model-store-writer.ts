import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import type * as tf from '@tensorflow/tfjs';

import { isLayersModel, modelToArtifacts } from '../model/model-artifacts';
import type { ModelArtifactsData } from '../model/model-artifacts';
import { combinedChecksum, sha256 } from './model-checksum';
import { METADATA_FILE, MODEL_FILES } from './model-store.types';
import type { ModelMetadata, ModelVersionMeta, SavedModelVersion, StoredNormalization } from './model-store.types';

function checkMeta(meta: ModelVersionMeta): StoredNormalization {
  const names = [...meta.feature_names];
  const norm = meta.normalization;
  const stored: StoredNormalization = {
    feature_set_version: norm.feature_set_version,
    names: [...norm.names],
    mean: Array.from(norm.mean),
    std: Array.from(norm.std),
  };
  const problems: string[] = [];
  if (!meta.version || /[/\\]/.test(meta.version)) problems.push(`bad version '${meta.version}'`);
  if (norm.feature_set_version !== meta.feature_set_version) {
    problems.push(`normalization is for feature set ${norm.feature_set_version}, model for ${meta.feature_set_version}`);
  }
  if (stored.names.join('\u0000') !== names.join('\u0000')) problems.push('normalization names differ from feature_names');
  if (stored.mean.length !== names.length || stored.std.length !== names.length) {
    problems.push(`normalization has ${stored.mean.length} means / ${stored.std.length} stds for ${names.length} features`);
  }
  if ([...stored.mean, ...stored.std].some((v) => !Number.isFinite(v))) problems.push('normalization contains non-finite values');
  if (problems.length) throw new RangeError(`saveModelVersion: ${problems.join('; ')}`);
  return stored;
}

async function writeFileSynced(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined); // not supported on every platform/file system
  await handle.close();
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Writes one model version as `dir/{model.json, weights.bin, feature-spec.json, normalization.json,
 * metadata.json}`. Atomic: files are written and fsynced in a temporary sibling directory that is then
 * renamed to `dir`, so readers see the whole version or nothing. Refuses to overwrite an existing version.
 */
export async function saveModelVersion(
  dir: string,
  model: tf.LayersModel | ModelArtifactsData,
  meta: ModelVersionMeta,
): Promise<SavedModelVersion> {
  const normalization = checkMeta(meta);
  const target = path.resolve(dir);
  if (await exists(target)) throw new Error(`saveModelVersion: ${target} already exists (versions are immutable)`);
  const artifacts = isLayersModel(model) ? await modelToArtifacts(model) : model;
  const featureNames = [...meta.feature_names];

  const contents: Record<(typeof MODEL_FILES)[number], Uint8Array> = {
    'model.json': Buffer.from(
      JSON.stringify({
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      }),
    ),
    'weights.bin': new Uint8Array(artifacts.weightData),
    'feature-spec.json': Buffer.from(
      JSON.stringify({ feature_set_version: meta.feature_set_version, feature_names: featureNames, n_features: featureNames.length }, null, 2),
    ),
    'normalization.json': Buffer.from(JSON.stringify(normalization, null, 2)),
  };
  const files: Record<string, string> = {};
  for (const name of MODEL_FILES) files[name] = sha256(contents[name]);
  const checksum = combinedChecksum(files);
  const metadata: ModelMetadata = {
    format_version: 1,
    version: meta.version,
    strategy_id: meta.strategy_id,
    model_type: meta.model_type,
    feature_set_version: meta.feature_set_version,
    feature_names: featureNames,
    n_features: featureNames.length,
    training_config: meta.training_config,
    metrics: meta.metrics,
    created_at: meta.created_at instanceof Date ? meta.created_at.toISOString() : meta.created_at,
    files,
    checksum,
  };

  const parent = path.dirname(target);
  await fs.mkdir(parent, { recursive: true });
  const temp = path.join(parent, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(temp);
  try {
    let bytes = 0;
    for (const name of MODEL_FILES) {
      await writeFileSynced(path.join(temp, name), contents[name]);
      bytes += contents[name].byteLength;
    }
    const metadataJson = JSON.stringify(metadata, null, 2);
    await writeFileSynced(path.join(temp, METADATA_FILE), metadataJson);
    bytes += Buffer.byteLength(metadataJson);
    await syncDir(temp);
    await fs.rename(temp, target);
    await syncDir(parent);
    return { dir: target, checksum, bytes };
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Deletes a version directory (renamed away first, so it disappears atomically). Returns false when it did not
 * exist. Refuses a directory that does not look like a model version, to protect against a wrong path.
 */
export async function removeModelVersion(dir: string): Promise<boolean> {
  const target = path.resolve(dir);
  if (!(await exists(target))) return false;
  if (!(await exists(path.join(target, METADATA_FILE))) && !(await exists(path.join(target, 'model.json')))) {
    throw new Error(`removeModelVersion: ${target} has no ${METADATA_FILE} or model.json; refusing to delete it`);
  }
  const doomed = path.join(path.dirname(target), `.${path.basename(target)}.deleting-${randomBytes(4).toString('hex')}`);
  await fs.rename(target, doomed);
  await fs.rm(doomed, { recursive: true, force: true });
  return true;
}

import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

import { FEATURE_NAMES, FEATURE_SET_VERSION } from '@model-service/features';
import { loadPredictor, ModelLoadError, Predictor } from '@model-service/ml/inference';

import { Calibration, priorCorrection } from './model-scoring';

/** The active version of a strategy as model_versions (or, while the database is down, a model event) names it. */
export interface ActiveVersionRef {
  version: string;
  strategyId: string;
  /** From the row; null when only an event named the version. */
  featureSetVersion: string | null;
  checksum: string | null;
  /** Where the trainer wrote it (used when MODEL_STORAGE_PATH/{version} does not exist here). */
  filePath: string | null;
}

/** A verified model version held in memory. */
export interface LoadedModel {
  version: string;
  strategyId: string;
  checksum: string;
  dir: string;
  predictor: Predictor;
  calibrate: Calibration;
  /** Training / evaluation summary from metadata.json (for logs and /health). */
  modelType: string;
  accuracy: number | null;
  loadedAt: number;
}

/** Why a version was not taken into use: the ml store's reasons plus this app's cross-checks. */
export type RefusalReason =
  | ModelLoadError['reason']
  | 'bad_version_name'
  | 'outside_model_store'
  | 'unverifiable_event'
  | 'version_mismatch'
  | 'strategy_mismatch'
  | 'load_failed';

export class ModelRefusedError extends Error {
  override readonly name = 'ModelRefusedError';

  constructor(
    readonly reason: RefusalReason,
    readonly version: string,
    detail: string,
  ) {
    super(`model ${version} refused (${reason}): ${detail}`);
  }
}

/** True when `target` (after resolving symlinks) is `root` itself or below it. */
function isInside(root: string, target: string): boolean {
  const rel = path.relative(realpathSync(root), realpathSync(target));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * MODEL_STORAGE_PATH/{version}, else the row's file_path when only that exists and it lies inside the model
 * store (symlinks resolved); refuses version names and file paths that leave the store.
 */
export function versionDir(storagePath: string, ref: ActiveVersionRef): string {
  if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(ref.version) || ref.version === '.' || ref.version === '..') {
    throw new ModelRefusedError('bad_version_name', ref.version, 'version names a path outside the model store');
  }
  const dir = path.resolve(storagePath, ref.version);
  if (existsSync(dir) || !ref.filePath || !existsSync(ref.filePath)) return dir;
  if (!existsSync(storagePath) || !isInside(storagePath, ref.filePath)) {
    throw new ModelRefusedError('outside_model_store', ref.version, `file_path ${ref.filePath.slice(0, 200)} is outside the model store ${storagePath}`);
  }
  return realpathSync(ref.filePath);
}

/**
 * Loads a version through the ml lib's inference entry point and verifies it against what this service
 * computes and what the database says: the feature-set version and feature order (libs/features), every
 * file's checksum (ml store), the combined checksum recorded in model_versions, the version name and the
 * strategy. Anything else throws ModelRefusedError and nothing stays loaded.
 */
export async function loadModel(ref: ActiveVersionRef, storagePath: string, now: () => number = Date.now): Promise<LoadedModel> {
  if (ref.featureSetVersion !== null && ref.featureSetVersion !== FEATURE_SET_VERSION) {
    throw new ModelRefusedError(
      'feature_set_mismatch',
      ref.version,
      `model_versions says it was trained on feature set ${ref.featureSetVersion}; this service computes ${FEATURE_SET_VERSION}`,
    );
  }
  const dir = versionDir(storagePath, ref);
  let predictor: Predictor;
  try {
    predictor = await loadPredictor(dir, { feature_set_version: FEATURE_SET_VERSION, feature_names: FEATURE_NAMES });
  } catch (err) {
    if (err instanceof ModelLoadError) throw new ModelRefusedError(err.reason, ref.version, err.message);
    throw new ModelRefusedError('load_failed', ref.version, err instanceof Error ? err.message : String(err));
  }
  const meta = predictor.metadata;
  const problem =
    predictor.version !== ref.version
      ? (['version_mismatch', `${dir} holds version ${predictor.version}`] as const)
      : ref.checksum !== null && meta.checksum !== ref.checksum
        ? (['checksum_mismatch', `files have checksum ${meta.checksum}, model_versions records ${ref.checksum}`] as const)
        : predictor.strategyId !== ref.strategyId
          ? (['strategy_mismatch', `trained for strategy ${predictor.strategyId}, active for ${ref.strategyId}`] as const)
          : null;
  if (problem) {
    predictor.dispose();
    throw new ModelRefusedError(problem[0], ref.version, problem[1]);
  }
  const accuracy = meta.metrics?.['accuracy'];
  return {
    version: ref.version,
    strategyId: ref.strategyId,
    checksum: meta.checksum,
    dir,
    predictor,
    calibrate: priorCorrection(meta.training_config?.['class_weights']),
    modelType: meta.model_type,
    accuracy: typeof accuracy === 'number' ? accuracy : null,
    loadedAt: now(),
  };
}

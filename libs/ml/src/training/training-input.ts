import { isModelType } from '../model/model-factory';
import { TrainingError } from './training-errors';
import type { TrainingJob } from './training-types';

/** Realm-independent (worker messages and jest contexts create typed arrays from other realms). */
function isFloat32Array(value: unknown): value is Float32Array {
  return Object.prototype.toString.call(value) === '[object Float32Array]';
}

function positiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new TrainingError('invalid_input', `${name} must be a positive integer, got ${value}`);
}

/** Checks shapes, labels, finiteness and hyper-parameters before any tensor is made. */
export function validateTrainingJob(job: TrainingJob): void {
  const { X, y, n, nFeatures, validationFrom } = job;
  positiveInt('n', n);
  positiveInt('nFeatures', nFeatures);
  positiveInt('epochs', job.epochs);
  positiveInt('batchSize', job.batchSize);
  if (!(job.learningRate > 0) || !Number.isFinite(job.learningRate)) {
    throw new TrainingError('invalid_input', `learningRate must be a positive number, got ${job.learningRate}`);
  }
  if (!Number.isInteger(job.patience) || job.patience < 0) {
    throw new TrainingError('invalid_input', `patience must be an integer >= 0, got ${job.patience}`);
  }
  if (!isModelType(job.modelType)) throw new TrainingError('invalid_input', `unknown modelType '${String(job.modelType)}'`);
  if (job.classWeight !== null && job.classWeight !== 'balanced') {
    throw new TrainingError('invalid_input', `classWeight must be 'balanced' or null, got ${String(job.classWeight)}`);
  }
  if (!isFloat32Array(X) || X.length !== n * nFeatures) {
    throw new TrainingError('invalid_input', `X must be a Float32Array of n * nFeatures = ${n * nFeatures} numbers, got ${X?.length}`);
  }
  if (!isFloat32Array(y) || y.length !== n) {
    throw new TrainingError('invalid_input', `y must be a Float32Array of n = ${n} labels, got ${y?.length}`);
  }
  if (!Number.isInteger(validationFrom) || validationFrom < 1 || validationFrom >= n) {
    throw new TrainingError('empty_split', `validationFrom must split the ${n} rows into non-empty train and validation parts, got ${validationFrom}`);
  }
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) {
      const row = Math.floor(i / nFeatures);
      throw new TrainingError('invalid_input', `non-finite feature value ${X[i]} at row ${row}, feature ${i - row * nFeatures}`);
    }
  }
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new TrainingError('invalid_input', `label at row ${i} is ${y[i]}, expected 0 or 1`);
  }
}

/**
 * Keras/sklearn "balanced" weights from the training split: w_c = n / (2 * n_c).
 * A split with one class only gets weights [1, 1] (nothing to balance).
 */
export function balancedClassWeights(y: Float32Array, from: number, to: number): [number, number] {
  let positives = 0;
  for (let i = from; i < to; i++) positives += y[i];
  const total = to - from;
  const negatives = total - positives;
  if (positives === 0 || negatives === 0) return [1, 1];
  return [total / (2 * negatives), total / (2 * positives)];
}


/** In-place Fisher-Yates shuffle. */
export function shuffleInPlace(values: Uint32Array, random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
}

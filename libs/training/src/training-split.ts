import {
  Dataset,
  embargoedTrainEnd,
  fitNormalizer,
  matrixRows,
  normalizeMatrix,
  NormalizationStats,
  timeOrderedSplit,
} from '@model-service/features';

/** Where a time-ordered dataset is cut: train `[0, trainEnd)`, embargo `[trainEnd, validationStart)`, validation `[validationStart, n)`. */
export interface SplitPlan {
  n: number;
  trainEnd: number;
  validationStart: number;
}

export type SplitName = 'train' | 'embargo' | 'validation';

/**
 * Validation = the most recent `validationFraction` of the rows; training rows end `embargoMs` before the first
 * validation signal, so no training label (which looks up to the label horizon ahead) overlaps the validation period.
 */
export function planSplit(timestamps: ArrayLike<number>, n: number, validationFraction: number, embargoMs: number): SplitPlan {
  const validationStart = timeOrderedSplit(n, validationFraction);
  const trainEnd = embargoedTrainEnd(timestamps, validationStart, embargoMs);
  return { n, trainEnd, validationStart };
}

export function splitOf(plan: SplitPlan, row: number): SplitName {
  if (row < plan.trainEnd) return 'train';
  return row < plan.validationStart ? 'embargo' : 'validation';
}

/** The arrays of one run: normalised with statistics fitted on the training rows only, embargo rows dropped. */
export interface PreparedTraining {
  /** Normalised rows: training rows, then validation rows (row-major). */
  X: Float32Array;
  y: Float32Array;
  n: number;
  nFeatures: number;
  /** First validation row in X / y. */
  validationFrom: number;
  stats: NormalizationStats;
  /** Net return of every row (trading metrics use rows `[validationFrom, n)`). */
  returns: Float32Array;
}

/** Applies a split plan: fits the normaliser on the training rows and normalises train + validation into new arrays. */
export function prepareTraining(dataset: Dataset, plan: SplitPlan, stats?: NormalizationStats): PreparedTraining {
  const nf = dataset.nFeatures;
  const trainRows = plan.trainEnd;
  const valRows = plan.n - plan.validationStart;
  const fitted = stats ?? fitNormalizer(matrixRows(dataset.X, nf, 0, trainRows), nf, { names: dataset.names, featureSetVersion: dataset.feature_set_version });
  const n = trainRows + valRows;
  const X = new Float32Array(n * nf);
  normalizeMatrix(fitted, matrixRows(dataset.X, nf, 0, trainRows), X.subarray(0, trainRows * nf));
  normalizeMatrix(fitted, matrixRows(dataset.X, nf, plan.validationStart, plan.n), X.subarray(trainRows * nf));
  const y = new Float32Array(n);
  y.set(dataset.y.subarray(0, trainRows), 0);
  y.set(dataset.y.subarray(plan.validationStart, plan.n), trainRows);
  const returns = new Float32Array(n);
  returns.set(dataset.returns.subarray(0, trainRows), 0);
  returns.set(dataset.returns.subarray(plan.validationStart, plan.n), trainRows);
  return {
    X,
    y,
    n,
    nFeatures: nf,
    validationFrom: trainRows,
    stats: fitted,
    returns,
  };
}

/** Normalises the validation rows of a dataset with another model's statistics (to score it on the same rows). */
export function normalizedValidation(dataset: Dataset, plan: SplitPlan, stats: NormalizationStats): Float32Array {
  const nf = dataset.nFeatures;
  const out = new Float32Array((plan.n - plan.validationStart) * nf);
  normalizeMatrix(stats, matrixRows(dataset.X, nf, plan.validationStart, plan.n), out);
  return out;
}

import { abs, max, numberIsFinite, sqrt } from '../internal/fast-math';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SET_VERSION, missingFlagIndices } from './feature-set';

/**
 * Standardisation statistics, saved with a model as plain JSON (the object itself is the JSON form).
 * Fit them on the TRAINING split only; the caller decides the split.
 */
export interface NormalizationStats {
  feature_set_version: string;
  names: string[];
  mean: number[];
  /** Population standard deviation; 1 for a feature that was constant (or never present) in training. */
  std: number[];
}

/** A row-major matrix: row i is `[i * nFeatures, (i + 1) * nFeatures)`. */
export type FeatureMatrix = Float32Array | Float64Array;

export interface FitNormalizerOptions {
  /** Feature names; default FEATURE_NAMES when nFeatures matches, else `f0`, `f1`, ... */
  names?: readonly string[];
  /** Default FEATURE_SET_VERSION with the default names, else 'custom'. */
  featureSetVersion?: string;
}

/** Normalised values are clipped to ±NORMALIZED_CLIP standard deviations (outliers, bad ticks). */
export const NORMALIZED_CLIP = 10;

/**
 * Fits mean and std per feature. A value whose `_missing` flag is set (see `missingFlagIndices`) or
 * that is not finite is left out of its feature's statistics. Two passes, float64 accumulation.
 */
export function fitNormalizer(
  rows: readonly ArrayLike<number>[] | FeatureMatrix,
  nFeatures: number,
  opts: FitNormalizerOptions = {},
): NormalizationStats {
  if (!Number.isInteger(nFeatures) || nFeatures < 1) {
    throw new RangeError(`nFeatures must be a positive integer, got ${nFeatures}`);
  }
  const defaultNames = opts.names === undefined && nFeatures === FEATURE_COUNT;
  const names = opts.names ? [...opts.names] : defaultNames ? [...FEATURE_NAMES] : defaultNamesFor(nFeatures);
  if (names.length !== nFeatures) {
    throw new RangeError(`fitNormalizer: ${names.length} names for ${nFeatures} features`);
  }
  const version = opts.featureSetVersion ?? (defaultNames ? FEATURE_SET_VERSION : 'custom');
  const flags = missingFlagIndices(names);
  const m = asMatrix(rows, nFeatures);
  const n = m.length / nFeatures;
  const count = new Float64Array(nFeatures);
  const mean = new Float64Array(nFeatures);
  const ss = new Float64Array(nFeatures);
  accumulate(m, n, nFeatures, flags, count, mean, null);
  for (let j = 0; j < nFeatures; j++) mean[j] = count[j] > 0 ? mean[j] / count[j] : 0;
  accumulate(m, n, nFeatures, flags, count, mean, ss);
  const std: number[] = [];
  for (let j = 0; j < nFeatures; j++) {
    const sd = count[j] > 0 ? sqrt(ss[j] / count[j]) : 0;
    std.push(sd > 1e-12 * max(1, abs(mean[j])) ? sd : 1);
  }
  return { feature_set_version: version, names, mean: Array.from(mean), std };
}

/**
 * Normalises one raw row: (x - mean) / std, clipped to ±NORMALIZED_CLIP; 0 for a missing or
 * non-finite value. Writes into `out` when given (may be `row` itself).
 */
export function applyNormalizer(
  stats: NormalizationStats,
  row: ArrayLike<number>,
  out: Float64Array | Float32Array | number[] = new Float64Array(stats.names.length),
): typeof out {
  const p = prepared(stats);
  if (row.length < p.n) throw new RangeError(`applyNormalizer: row has ${row.length} values, expected ${p.n}`);
  normalizeInto(p, row, 0, out, 0);
  return out;
}

/** Normalises every row of a row-major matrix; in place unless `out` is given. */
export function normalizeMatrix(stats: NormalizationStats, X: FeatureMatrix, out: FeatureMatrix = X): FeatureMatrix {
  const p = prepared(stats);
  if (X.length % p.n !== 0) throw new RangeError(`normalizeMatrix: length ${X.length} is not a multiple of ${p.n}`);
  if (out.length < X.length) throw new RangeError('normalizeMatrix: output is smaller than the input');
  normalizeRows(p, X, out);
  return out;
}

/** Row `i` of a row-major matrix, without copying. */
export function matrixRow<T extends FeatureMatrix>(X: T, nFeatures: number, i: number): T {
  return X.subarray(i * nFeatures, (i + 1) * nFeatures) as T;
}

/** Rows `[start, end)` of a row-major matrix, without copying (e.g. the training split). */
export function matrixRows<T extends FeatureMatrix>(X: T, nFeatures: number, start: number, end: number): T {
  return X.subarray(start * nFeatures, end * nFeatures) as T;
}

/** Throws when stats were fitted for another feature set than the running code's. */
export function assertFeatureSet(
  stats: NormalizationStats,
  expectedVersion: string = FEATURE_SET_VERSION,
  expectedNames: readonly string[] = FEATURE_NAMES,
): void {
  if (stats.feature_set_version !== expectedVersion) {
    throw new Error(`feature set mismatch: model has ${stats.feature_set_version}, code has ${expectedVersion}`);
  }
  const same = stats.names.length === expectedNames.length && stats.names.every((n, i) => n === expectedNames[i]);
  if (!same) throw new Error(`feature set ${expectedVersion}: the model's feature names differ from the code's`);
}

/** Validates parsed JSON as NormalizationStats (equal lengths, finite means, positive stds). */
export function parseNormalizationStats(value: unknown): NormalizationStats {
  const v = value as Partial<NormalizationStats> | null;
  const fail = (why: string): never => {
    throw new Error(`invalid normalization stats: ${why}`);
  };
  if (typeof v !== 'object' || v === null) return fail('not an object');
  if (typeof v.feature_set_version !== 'string') return fail('feature_set_version must be a string');
  const { names, mean, std } = v;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return fail('names must be strings');
  if (!Array.isArray(mean) || mean.length !== names.length || !mean.every(numberIsFinite)) {
    return fail('mean must hold one finite number per name');
  }
  if (!Array.isArray(std) || std.length !== names.length || !std.every((s) => numberIsFinite(s) && s > 0)) {
    return fail('std must hold one positive number per name');
  }
  return { feature_set_version: v.feature_set_version, names: [...names], mean: [...mean], std: [...std] };
}

interface Prepared {
  n: number;
  mean: Float64Array;
  invStd: Float64Array;
  flags: Int32Array;
  /** Scratch for one row's missing mask (single-threaded, no awaits in between). */
  missing: Uint8Array;
}

// Stats are treated as immutable once fitted or loaded; their prepared form is cached.
const cache = new WeakMap<NormalizationStats, Prepared>();

function prepared(stats: NormalizationStats): Prepared {
  let p = cache.get(stats);
  if (!p) {
    const n = stats.names.length;
    if (stats.mean.length !== n || stats.std.length !== n) {
      throw new RangeError('normalization stats: names, mean and std lengths differ');
    }
    p = {
      n,
      mean: Float64Array.from(stats.mean),
      invStd: Float64Array.from(stats.std, (s) => (s > 0 ? 1 / s : 1)),
      flags: missingFlagIndices(stats.names),
      missing: new Uint8Array(n),
    };
    cache.set(stats, p);
  }
  return p;
}

/**
 * Feature j's value v normalised: (v - mean) / std clipped to ±NORMALIZED_CLIP, 0 when the feature is marked
 * missing (p.missing, filled for the row first) or v is not finite. Numbers only, so it stays monomorphic.
 */
function normalizedValue(p: Prepared, j: number, v: number): number {
  if (p.missing[j] === 1 || !numberIsFinite(v)) return 0;
  const z = (v - p.mean[j]) * p.invStd[j];
  return z > NORMALIZED_CLIP ? NORMALIZED_CLIP : z < -NORMALIZED_CLIP ? -NORMALIZED_CLIP : z;
}

function normalizeInto(p: Prepared, src: ArrayLike<number>, sb: number, out: Float64Array | Float32Array | number[], ob: number): void {
  const { n, flags, missing } = p;
  // Read every flag before writing anything: `out` may be `src`.
  for (let j = 0; j < n; j++) {
    const f = flags[j];
    missing[j] = f >= 0 && src[sb + f] !== 0 ? 1 : 0;
  }
  for (let j = 0; j < n; j++) out[ob + j] = normalizedValue(p, j, src[sb + j]);
}

/** normalizeInto over every row of a matrix, with the loop kept in one monomorphic place. */
function normalizeRows(p: Prepared, X: FeatureMatrix, out: FeatureMatrix): void {
  const { n, flags, missing } = p;
  for (let base = 0; base < X.length; base += n) {
    for (let j = 0; j < n; j++) {
      const f = flags[j];
      missing[j] = f >= 0 && X[base + f] !== 0 ? 1 : 0;
    }
    for (let j = 0; j < n; j++) out[base + j] = normalizedValue(p, j, X[base + j]);
  }
}

function asMatrix(rows: readonly ArrayLike<number>[] | FeatureMatrix, nFeatures: number): FeatureMatrix {
  if (ArrayBuffer.isView(rows)) {
    if (rows.length % nFeatures !== 0) {
      throw new RangeError(`fitNormalizer: matrix length ${rows.length} is not a multiple of ${nFeatures}`);
    }
    return rows;
  }
  const list = rows as readonly ArrayLike<number>[];
  const m = new Float64Array(list.length * nFeatures);
  list.forEach((row, r) => {
    if (row.length < nFeatures) throw new RangeError(`fitNormalizer: row ${r} has ${row.length} values`);
    for (let j = 0; j < nFeatures; j++) m[r * nFeatures + j] = row[j];
  });
  return m;
}

/**
 * One pass over the present values of each column: without `ss`, sums them into `mean` and counts
 * them; with `ss`, sums squared deviations from `mean`.
 */
function accumulate(
  m: FeatureMatrix,
  n: number,
  nf: number,
  flags: Int32Array,
  count: Float64Array,
  mean: Float64Array,
  ss: Float64Array | null,
): void {
  for (let base = 0, end = n * nf; base < end; base += nf) {
    for (let j = 0; j < nf; j++) {
      const v = m[base + j];
      const f = flags[j];
      if ((f >= 0 && m[base + f] !== 0) || !numberIsFinite(v)) continue;
      if (ss === null) {
        count[j] += 1;
        mean[j] += v;
      } else {
        const d = v - mean[j];
        ss[j] += d * d;
      }
    }
  }
}

function defaultNamesFor(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `f${i}`);
}

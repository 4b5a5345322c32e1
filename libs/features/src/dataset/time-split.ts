import { firstAtOrAfter } from './time-order';

/**
 * Time-ordered train/validation split for rows sorted by time: validation is the most recent
 * `validationFraction` of the rows, never shuffled across time. Returns the index of the first
 * validation row: train = [0, boundary), validation = [boundary, n).
 * The validation size is ceil(n × fraction) (so any positive fraction of a non-empty dataset gets
 * at least one row), computed so that e.g. 10 × 0.3 gives 3, not 4.
 */
export function timeOrderedSplit(n: number, validationFraction: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(validationFraction >= 0 && validationFraction <= 1)) {
    throw new RangeError(`validationFraction must be in [0, 1], got ${validationFraction}`);
  }
  const nValidation = Math.min(n, Math.ceil(n * validationFraction - 1e-9));
  return n - nValidation;
}

/**
 * End of the training rows once an embargo is applied: training keeps only rows whose timestamp is
 * strictly before `timestamps[validationStart] - embargoMs`. With embargoMs = the label horizon, no
 * training label looks into the validation period, and rows sharing the first validation
 * timestamp never sit on both sides. `timestamps` must be ascending. Returns an index ≤ validationStart.
 */
export function embargoedTrainEnd(timestamps: ArrayLike<number>, validationStart: number, embargoMs = 0): number {
  if (validationStart >= timestamps.length) return Math.max(0, Math.min(validationStart, timestamps.length));
  if (!(embargoMs >= 0)) throw new RangeError(`embargoMs must be >= 0, got ${embargoMs}`);
  return firstAtOrAfter(timestamps, timestamps[validationStart] - embargoMs, validationStart);
}

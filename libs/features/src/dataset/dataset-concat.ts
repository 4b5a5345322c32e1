import type { Dataset } from './dataset-builder';
import { gatherRows, stableTimeOrder } from './time-order';

/**
 * One dataset from parts built separately (e.g. one per time window read in parallel), in time order. Parts
 * that follow each other in time are simply copied end to end; otherwise the rows are sorted by time (stable:
 * equal times keep part order, then row order).
 */
export function concatDatasets(parts: readonly Dataset[]): Dataset {
  if (parts.length === 0) throw new RangeError('concatDatasets needs at least one dataset');
  const first = parts[0];
  for (const p of parts) {
    if (p.nFeatures !== first.nFeatures || p.feature_set_version !== first.feature_set_version) {
      throw new RangeError(`concatDatasets: ${p.feature_set_version}/${p.nFeatures} features do not match ${first.feature_set_version}/${first.nFeatures}`);
    }
  }
  if (parts.length === 1) return first;
  const nf = first.nFeatures;
  const n = parts.reduce((sum, p) => sum + p.n, 0);
  const all = { X: new Float32Array(n * nf), y: new Float32Array(n), returns: new Float32Array(n), timestamps: new Float64Array(n) };
  let at = 0;
  let sorted = true;
  for (const p of parts) {
    if (p.n === 0) continue;
    if (at > 0 && p.timestamps[0] < all.timestamps[at - 1]) sorted = false;
    all.X.set(p.X.subarray(0, p.n * nf), at * nf);
    all.y.set(p.y.subarray(0, p.n), at);
    all.returns.set(p.returns.subarray(0, p.n), at);
    all.timestamps.set(p.timestamps.subarray(0, p.n), at);
    at += p.n;
  }
  const rows = sorted ? all : gatherRows(all, nf, stableTimeOrder(all.timestamps, n));
  return { ...rows, n, nFeatures: nf, names: first.names, feature_set_version: first.feature_set_version, skipped: parts.reduce((sum, p) => sum + p.skipped, 0) };
}

/** The first index in `[0, end)` of ascending `sorted` whose value is >= `value` (`end` when none is). */
export function firstAtOrAfter(sorted: ArrayLike<number>, value: number, end: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Indices 0..n-1 of `ts` ordered by time, ties in index order (a stable sort). A native numeric sort of the
 * times gives each row its rank (binary search); a counting sort by rank is stable. Much faster than a
 * comparator sort over an index array.
 */
export function stableTimeOrder(ts: ArrayLike<number>, n: number): Uint32Array {
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = ts[i];
  sorted.sort();
  const rank = new Uint32Array(n);
  const counts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const r = firstAtOrAfter(sorted, ts[i], n); // index of the first equal time: equal times share a rank
    rank[i] = r;
    counts[r + 1]++;
  }
  for (let r = 0; r < n; r++) counts[r + 1] += counts[r];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[counts[rank[i]]++] = i;
  return order;
}

/** The columns of a dataset: row-major features, one label, return and time per row. */
export interface DatasetColumns {
  X: Float32Array;
  y: Float32Array;
  returns: Float32Array;
  timestamps: Float64Array;
}

/** New columns holding rows `order[0], order[1], ...` of `from` (`nf` features per row). */
export function gatherRows(from: DatasetColumns, nf: number, order: ArrayLike<number>): DatasetColumns {
  const n = order.length;
  const X = new Float32Array(n * nf);
  const y = new Float32Array(n);
  const returns = new Float32Array(n);
  const timestamps = new Float64Array(n);
  const src = from.X;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    for (let j = 0, a = r * nf, b = i * nf; j < nf; j++) X[b + j] = src[a + j];
    y[i] = from.y[r];
    returns[i] = from.returns[r];
    timestamps[i] = from.timestamps[r];
  }
  return { X, y, returns, timestamps };
}

import { max, numberIsFinite } from '../internal/fast-math';
import { timestampMs, writeFeatures } from '../pipeline/build-features';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SET_VERSION } from '../pipeline/feature-set';
import { FeatureInput, SnapshotInput, Side } from '../pipeline/snapshot-input';
import { gatherRows, stableTimeOrder } from './time-order';

/** One training example: the decision-time inputs plus its label (1/0) and net return. */
export interface DatasetRecord {
  snapshot: SnapshotInput;
  side: Side;
  timestamp: string | Date | number;
  label: number;
  ret: number;
}

/** Columnar, time-ordered training data. X is row-major (`n × nFeatures`), raw (not normalised). */
export interface Dataset {
  X: Float32Array;
  y: Float32Array;
  returns: Float32Array;
  /** Epoch ms of each row's signal, ascending. */
  timestamps: Float64Array;
  n: number;
  nFeatures: number;
  names: readonly string[];
  feature_set_version: string;
  /** Records left out: bad side or timestamp, or a non-finite label or return. */
  skipped: number;
}

export interface DatasetBuilderOptions {
  /** Expected number of rows; avoids re-allocations when known. */
  capacityHint?: number;
}

/**
 * Accumulates records into growable typed arrays (about 190 bytes per row with fs-1), for sync or
 * async sources: `add` each record, then `finish`. Rows are sorted by timestamp at the end (stable:
 * equal timestamps keep their arrival order) unless they already arrived in order.
 *
 * When labels are known only later (they look at prices after the decision), `addFeatures` writes a row's
 * features as it arrives and `setLabel` completes it; rows never labelled are left out by `finish`, and
 * the rest keep their arrival order, exactly as if only the labelled rows had been `add`ed.
 */
export class DatasetBuilder {
  private readonly nf = FEATURE_COUNT;
  private readonly row = new Float64Array(FEATURE_COUNT);
  private capacity: number;
  private X: Float32Array;
  private y: Float32Array;
  private returns: Float32Array;
  private timestamps: Float64Array;
  /** Per row: 1 once its label is set (rows added by `addFeatures` start at 0). */
  private labelled: Uint8Array;
  private unlabelled = 0;
  private n = 0;
  private skipped = 0;
  private sorted = true;

  constructor(opts: DatasetBuilderOptions = {}) {
    this.capacity = max(16, Math.floor(opts.capacityHint ?? 1024));
    this.X = new Float32Array(this.capacity * this.nf);
    this.y = new Float32Array(this.capacity);
    this.returns = new Float32Array(this.capacity);
    this.timestamps = new Float64Array(this.capacity);
    this.labelled = new Uint8Array(this.capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Adds one record; returns false (and counts it as skipped) when it cannot be used. */
  add(record: DatasetRecord): boolean {
    if (!numberIsFinite(record.label) || !numberIsFinite(record.ret)) {
      this.skipped++;
      return false;
    }
    const row = this.addFeatures(record);
    if (row < 0) {
      this.skipped++;
      return false;
    }
    this.setLabel(row, record.label, record.ret);
    return true;
  }

  /**
   * Writes the features of a decision whose label is not known yet; returns its row for `setLabel`, or -1
   * when its side or timestamp is unusable (not counted: the caller knows whether it would have been a row).
   */
  addFeatures(input: FeatureInput): number {
    let ms: number;
    try {
      ms = timestampMs(input.timestamp);
      writeFeatures(input, ms, this.row, 0);
    } catch (err) {
      if (err instanceof RangeError) return -1;
      throw err;
    }
    if (this.n === this.capacity) this.grow();
    // An element loop: TypedArray#set from Float64 into Float32 measured ~4x slower here.
    const X = this.X;
    const row = this.row;
    for (let j = 0, base = this.n * this.nf; j < row.length; j++) X[base + j] = row[j];
    if (this.n > 0 && ms < this.timestamps[this.n - 1]) this.sorted = false;
    this.timestamps[this.n] = ms;
    this.unlabelled++;
    return this.n++;
  }

  /** Labels a row of `addFeatures`; a non-finite label or return leaves it out (counted as skipped) and returns false. */
  setLabel(row: number, label: number, ret: number): boolean {
    if (!(row >= 0 && row < this.n) || this.labelled[row] === 1) throw new RangeError(`setLabel: row ${row} is not an unlabelled row`);
    if (!numberIsFinite(label) || !numberIsFinite(ret)) {
      this.skipped++;
      return false;
    }
    this.y[row] = label;
    this.returns[row] = ret;
    this.labelled[row] = 1;
    this.unlabelled--;
    return true;
  }

  /** The dataset in time order. The builder must not be used afterwards. */
  finish(): Dataset {
    if (this.unlabelled > 0) this.dropUnlabelled();
    const { n, nf } = this;
    let X: Float32Array;
    let y: Float32Array;
    let returns: Float32Array;
    let timestamps: Float64Array;
    if (this.sorted) {
      const exact = n === this.capacity;
      X = exact ? this.X : this.X.slice(0, n * nf);
      y = exact ? this.y : this.y.slice(0, n);
      returns = exact ? this.returns : this.returns.slice(0, n);
      timestamps = exact ? this.timestamps : this.timestamps.slice(0, n);
    } else {
      ({ X, y, returns, timestamps } = gatherRows({ X: this.X, y: this.y, returns: this.returns, timestamps: this.timestamps }, nf, stableTimeOrder(this.timestamps, n)));
    }
    this.release();
    return {
      X,
      y,
      returns,
      timestamps,
      n,
      nFeatures: nf,
      names: FEATURE_NAMES,
      feature_set_version: FEATURE_SET_VERSION,
      skipped: this.skipped,
    };
  }

  /** Moves the labelled rows down over the unlabelled ones, keeping their order. */
  private dropUnlabelled(): void {
    const { nf, X, y, returns, timestamps, labelled } = this;
    let kept = 0;
    let sorted = true;
    for (let i = 0; i < this.n; i++) {
      if (labelled[i] !== 1) continue;
      if (kept !== i) {
        X.copyWithin(kept * nf, i * nf, (i + 1) * nf);
        y[kept] = y[i];
        returns[kept] = returns[i];
        timestamps[kept] = timestamps[i];
        labelled[kept] = 1;
      }
      if (kept > 0 && timestamps[kept] < timestamps[kept - 1]) sorted = false;
      kept++;
    }
    this.n = kept;
    this.sorted = sorted;
    this.unlabelled = 0;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const X = new Float32Array(cap * this.nf);
    X.set(this.X);
    this.X = X;
    this.y = resized(this.y, new Float32Array(cap));
    this.returns = resized(this.returns, new Float32Array(cap));
    this.timestamps = resized(this.timestamps, new Float64Array(cap));
    this.labelled = resized(this.labelled, new Uint8Array(cap));
    this.capacity = cap;
  }

  private release(): void {
    this.X = new Float32Array(0);
    this.y = new Float32Array(0);
    this.returns = new Float32Array(0);
    this.timestamps = new Float64Array(0);
    this.labelled = new Uint8Array(0);
    this.capacity = 0;
  }
}

/** Builds a time-ordered dataset from records (any iterable, e.g. a generator over query results). */
export function buildDatasetRows(records: Iterable<DatasetRecord>, opts: DatasetBuilderOptions = {}): Dataset {
  let hint = opts.capacityHint;
  if (hint === undefined && Array.isArray(records)) hint = records.length;
  const builder = new DatasetBuilder({ capacityHint: hint });
  for (const r of records) builder.add(r);
  return builder.finish();
}

function resized<T extends Float32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

import { numberIsFinite } from '../internal/fast-math';
import { timestampMs, writeFeatures } from '../pipeline/build-features';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SET_VERSION } from '../pipeline/feature-set';
import { FeatureInput, SnapshotInput, Side } from '../pipeline/snapshot-input';
import { stableTimeOrder } from './time-order';

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

/** Rows per storage block: a builder grows by whole blocks, never copying what it holds. */
const BLOCK_SHIFT = 14;
const BLOCK_ROWS = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK_ROWS - 1;

/** BLOCK_ROWS rows of every column (the last block of a builder partly filled). */
class Block {
  readonly X: Float32Array;
  readonly y = new Float32Array(BLOCK_ROWS);
  readonly returns = new Float32Array(BLOCK_ROWS);
  readonly timestamps = new Float64Array(BLOCK_ROWS);
  /** Per row: 1 once its label is set (rows added by `addFeatures` start at 0). */
  readonly labelled = new Uint8Array(BLOCK_ROWS);

  constructor(nf: number) {
    this.X = new Float32Array(BLOCK_ROWS * nf);
  }
}

/**
 * Accumulates records into blocks of typed arrays (about 190 bytes per row with fs-1), for sync or async
 * sources: `add` each record, then `finish`. Rows are sorted by timestamp at the end (stable: equal
 * timestamps keep their arrival order) unless they already arrived in order. Finishing copies each row
 * once, into arrays of the exact size; growing copies nothing.
 *
 * When labels are known only later (they look at prices after the decision), `addFeatures` writes a row's
 * features as it arrives and `setLabel` completes it; rows never labelled are left out by `finish`, and
 * the rest keep their arrival order, exactly as if only the labelled rows had been `add`ed.
 */
export class DatasetBuilder {
  private readonly nf = FEATURE_COUNT;
  private readonly row = new Float64Array(FEATURE_COUNT);
  private blocks: Block[] = [];
  private unlabelled = 0;
  private n = 0;
  private skipped = 0;

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
    const i = this.n;
    const b = i >>> BLOCK_SHIFT;
    if (b === this.blocks.length) this.blocks.push(new Block(this.nf));
    const block = this.blocks[b];
    const k = i & BLOCK_MASK;
    // An element loop: TypedArray#set from Float64 into Float32 measured ~4x slower here.
    const X = block.X;
    const row = this.row;
    for (let j = 0, base = k * this.nf; j < row.length; j++) X[base + j] = row[j];
    block.timestamps[k] = ms;
    this.unlabelled++;
    return this.n++;
  }

  /** Labels a row of `addFeatures`; a non-finite label or return leaves it out (counted as skipped) and returns false. */
  setLabel(row: number, label: number, ret: number): boolean {
    const block = row >= 0 && row < this.n ? this.blocks[row >>> BLOCK_SHIFT] : undefined;
    const k = row & BLOCK_MASK;
    if (!block || block.labelled[k] === 1) throw new RangeError(`setLabel: row ${row} is not an unlabelled row`);
    if (!numberIsFinite(label) || !numberIsFinite(ret)) {
      this.skipped++;
      return false;
    }
    block.y[k] = label;
    block.returns[k] = ret;
    block.labelled[k] = 1;
    this.unlabelled--;
    return true;
  }

  /** The dataset in time order. The builder must not be used afterwards. */
  finish(): Dataset {
    return DatasetBuilder.finishAll([this]);
  }

  /**
   * One dataset of the labelled rows of several builders (e.g. one per time window read in parallel), in time
   * order: exactly `concatDatasets(builders.map((b) => b.finish()))` (equal times keep builder order, then
   * arrival order), with each row copied once. The builders must not be used afterwards.
   */
  static finishAll(builders: readonly DatasetBuilder[]): Dataset {
    if (builders.length === 0) throw new RangeError('finishAll needs at least one builder');
    const nf = FEATURE_COUNT;
    const n = builders.reduce((sum, b) => sum + b.n - b.unlabelled, 0);
    // The kept rows in builder, then arrival order: their times, and where each is.
    const times = new Float64Array(n);
    const from = new Int32Array(n);
    const rows = new Int32Array(n);
    let at = 0;
    let sorted = true;
    builders.forEach((builder, part) => {
      for (let i = 0; i < builder.n; i++) {
        const block = builder.blocks[i >>> BLOCK_SHIFT];
        const k = i & BLOCK_MASK;
        if (block.labelled[k] !== 1) continue;
        const ms = block.timestamps[k];
        if (at > 0 && ms < times[at - 1]) sorted = false;
        times[at] = ms;
        from[at] = part;
        rows[at++] = i;
      }
    });
    const order = sorted ? null : stableTimeOrder(times, n);
    const X = new Float32Array(n * nf);
    const y = new Float32Array(n);
    const returns = new Float32Array(n);
    const timestamps = new Float64Array(n);
    for (let o = 0; o < n; o++) {
      const r = order === null ? o : order[o];
      const i = rows[r];
      const block = builders[from[r]].blocks[i >>> BLOCK_SHIFT];
      const k = i & BLOCK_MASK;
      const src = block.X;
      for (let j = 0, a = k * nf, b = o * nf; j < nf; j++) X[b + j] = src[a + j];
      y[o] = block.y[k];
      returns[o] = block.returns[k];
      timestamps[o] = block.timestamps[k];
    }
    const skipped = builders.reduce((sum, b) => sum + b.skipped, 0);
    for (const b of builders) b.blocks = [];
    return { X, y, returns, timestamps, n, nFeatures: nf, names: FEATURE_NAMES, feature_set_version: FEATURE_SET_VERSION, skipped };
  }
}

/** Builds a time-ordered dataset from records (any iterable, e.g. a generator over query results). */
export function buildDatasetRows(records: Iterable<DatasetRecord>): Dataset {
  const builder = new DatasetBuilder();
  for (const r of records) builder.add(r);
  return builder.finish();
}

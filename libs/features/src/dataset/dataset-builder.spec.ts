import { buildFeatures } from '../pipeline/build-features';
import { FEATURE_COUNT, FEATURE_INDEX, FEATURE_NAMES, FEATURE_SET_VERSION } from '../pipeline/feature-set';
import { matrixRow } from '../pipeline/normalizer';
import { randomSnapshot, seededRandom } from '../testing/random-snapshot';
import { buildDatasetRows, DatasetBuilder, DatasetRecord } from './dataset-builder';
import { concatDatasets } from './dataset-concat';

const T0 = Date.parse('2024-05-01T00:00:00Z');

function record(minute: number, label: number, seed = minute): DatasetRecord {
  const rand = seededRandom(seed + 1);
  return {
    snapshot: randomSnapshot(rand, 0.2),
    side: minute % 2 ? 'buy' : 'sell',
    timestamp: new Date(T0 + minute * 60_000).toISOString(),
    label,
    ret: label ? 0.01 : -0.01,
  };
}

describe('buildDatasetRows', () => {
  it('sorts rows by signal time, keeping each row’s features, label and return together', () => {
    const minutes = [5, 1, 4, 2, 3, 0];
    const records = minutes.map((m) => record(m, m % 2));
    const ds = buildDatasetRows(records);
    expect(ds.n).toBe(6);
    expect(ds.nFeatures).toBe(FEATURE_COUNT);
    expect(ds.names).toEqual(FEATURE_NAMES);
    expect(ds.feature_set_version).toBe(FEATURE_SET_VERSION);
    expect(Array.from(ds.timestamps)).toEqual([0, 1, 2, 3, 4, 5].map((m) => T0 + m * 60_000));
    for (let i = 0; i < 6; i++) {
      const expected = buildFeatures(records[minutes.indexOf(i)]);
      matrixRow(ds.X, ds.nFeatures, i).forEach((x, j) => expect(x).toBeCloseTo(expected[j], 5));
      expect(ds.y[i]).toBe(i % 2);
      expect(ds.returns[i]).toBeCloseTo(i % 2 ? 0.01 : -0.01, 7);
    }
    expect(ds.X.length).toBe(6 * FEATURE_COUNT);
  });

  it('keeps arrival order for equal timestamps (stable)', () => {
    const a = { ...record(1, 1), side: 'buy' as const };
    const b = { ...record(1, 0), side: 'sell' as const };
    const ds = buildDatasetRows([record(2, 1), a, b]);
    expect(Array.from(ds.y)).toEqual([1, 0, 1]);
    expect([ds.X[FEATURE_INDEX.side], ds.X[FEATURE_COUNT + FEATURE_INDEX.side]]).toEqual([1, -1]);
  });

  it.each<[string, Partial<DatasetRecord>]>([
    ['side hold', { side: 'hold' as 'buy' }],
    ['bad timestamp', { timestamp: 'not a time' }],
    ['NaN label', { label: Number.NaN }],
    ['infinite return', { ret: Number.POSITIVE_INFINITY }],
  ])('skips and counts a record with %s', (_name, patch) => {
    const ds = buildDatasetRows([record(0, 1), { ...record(1, 0), ...patch }, record(2, 1)]);
    expect(ds.n).toBe(2);
    expect(ds.skipped).toBe(1);
    expect(Array.from(ds.y)).toEqual([1, 1]);
  });

  it('empty input gives an empty dataset', () => {
    const ds = buildDatasetRows([]);
    expect([ds.n, ds.X.length, ds.y.length, ds.timestamps.length, ds.skipped]).toEqual([0, 0, 0, 0, 0]);
  });

  it('grows across storage blocks, from a generator', () => {
    const n = 40_000; // more than two blocks
    function* gen() {
      for (let i = 0; i < n; i++) yield record(n - i, i % 2, i % 50); // arrives newest first
    }
    const ds = buildDatasetRows(gen());
    expect(ds.n).toBe(n);
    expect(ds.X.length).toBe(n * FEATURE_COUNT);
    let ascending = true;
    for (let i = 1; i < ds.n; i++) if (!(ds.timestamps[i] > ds.timestamps[i - 1])) ascending = false;
    expect(ascending).toBe(true);
    expect(ds.y[0]).toBe((n - 1) % 2); // the oldest (minute 1) was the last one yielded
    expect(Array.from(matrixRow(ds.X, ds.nFeatures, 0))).toEqual(Array.from(Float32Array.from(buildFeatures(record(1, 0, (n - 1) % 50)))));
  });

  it('DatasetBuilder accepts records one by one (e.g. from an async cursor)', async () => {
    const builder = new DatasetBuilder();
    async function* rows() {
      for (let i = 0; i < 50; i++) yield record(i, 1);
    }
    for await (const r of rows()) builder.add(r);
    expect(builder.size).toBe(50);
    expect(builder.finish().n).toBe(50);
  });

  it('builds 200,000 shuffled rows into time order with exact-size Float32 arrays', () => {
    const n = 200_000;
    const snapshots = Array.from({ length: 64 }, (_, i) => randomSnapshot(seededRandom(i), 0.2));
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation: 7919 is prime
    function* gen() {
      for (const m of order) {
        yield { snapshot: snapshots[m % 64], side: m % 2 ? 'buy' : 'sell', timestamp: T0 + m * 1000, label: m % 2, ret: m } as DatasetRecord;
      }
    }
    const ds = buildDatasetRows(gen());
    expect(ds.n).toBe(n);
    expect(ds.X.length).toBe(n * FEATURE_COUNT);
    let ordered = true;
    for (let i = 0; i < n; i++) if (ds.timestamps[i] !== T0 + i * 1000 || ds.returns[i] !== i) ordered = false;
    expect(ordered).toBe(true);
  });
});

describe('DatasetBuilder.addFeatures / setLabel (labels known later)', () => {
  /** Minutes out of order with ties, so both the stable sort and the compaction are exercised. */
  const minutes = [7, 3, 3, 9, 0, 5, 3, 8, 1, 6, 2, 4, 4];
  const records = minutes.map((m, i) => ({ ...record(m, i % 2, i + 100), side: (i % 3 ? 'buy' : 'sell') as 'buy' | 'sell' }));
  const keep = (i: number): boolean => i % 4 !== 1; // every fourth row never gets a label

  it('gives exactly the dataset of `add` over the labelled rows only', () => {
    const later = new DatasetBuilder();
    const rows = records.map((r) => later.addFeatures(r));
    expect(rows).toEqual(records.map((_, i) => i));
    // Labels arrive in another order than the rows.
    for (let i = records.length - 1; i >= 0; i--) if (keep(i)) expect(later.setLabel(rows[i], records[i].label, records[i].ret)).toBe(true);
    const a = later.finish();
    const b = buildDatasetRows(records.filter((_, i) => keep(i)));
    expect(a.n).toBe(b.n);
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.returns)).toEqual(Array.from(b.returns));
    expect(Array.from(a.timestamps)).toEqual(Array.from(b.timestamps));
    expect(a.skipped).toBe(0);
  });

  it('keeps arrival order when the labelled rows were already in time order', () => {
    const b = new DatasetBuilder();
    const r = [record(0, 1), record(5, 0), record(2, 1), record(6, 0)];
    r.forEach((x) => b.addFeatures(x));
    b.setLabel(0, 1, 0.01);
    b.setLabel(3, 0, -0.01);
    const ds = b.finish();
    expect(Array.from(ds.timestamps)).toEqual([T0, T0 + 6 * 60_000]);
    expect(Array.from(ds.y)).toEqual([1, 0]);
    expect(Array.from(matrixRow(ds.X, ds.nFeatures, 1))).toEqual(Array.from(Float32Array.from(buildFeatures(r[3]))));
  });

  it('returns -1 for unusable features without counting them, and counts non-finite labels as skipped', () => {
    const b = new DatasetBuilder();
    expect(b.addFeatures({ ...record(0, 1), side: 'hold' as 'buy' })).toBe(-1);
    expect(b.addFeatures({ ...record(0, 1), timestamp: 'never' })).toBe(-1);
    const row = b.addFeatures(record(1, 1));
    expect(b.setLabel(row, Number.NaN, 0.1)).toBe(false);
    const ds = b.finish();
    expect(ds.n).toBe(0);
    expect(ds.skipped).toBe(1);
  });

  it('refuses to label a row twice or a row it does not hold', () => {
    const b = new DatasetBuilder();
    const row = b.addFeatures(record(1, 1));
    b.setLabel(row, 1, 0.1);
    expect(() => b.setLabel(row, 0, -0.1)).toThrow(RangeError);
    expect(() => b.setLabel(5, 0, -0.1)).toThrow(RangeError);
  });
});

describe('DatasetBuilder.finishAll', () => {
  /** Builders over `minutes` each, every third row left unlabelled. */
  function builders(parts: number[][]): DatasetBuilder[] {
    return parts.map((minutes, p) => {
      const b = new DatasetBuilder();
      minutes.forEach((m, i) => {
        const row = b.addFeatures(record(m, (m + p) % 2, m * 10 + p));
        if (i % 3 !== 2) b.setLabel(row, (m + p) % 2, m / 100);
      });
      return b;
    });
  }

  it.each<[string, number[][]]>([
    ['consecutive windows', [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9, 10]]],
    ['overlapping windows with ties', [[0, 3, 3, 6], [2, 3, 4, 8], [1, 3, 9]]],
    ['out-of-order rows inside a window', [[5, 1, 4, 2], [9, 7, 8, 6]]],
    ['an empty window', [[], [1, 2, 3], []]],
  ])('gives exactly concatDatasets of each builder’s finish: %s', (_, parts) => {
    const a = DatasetBuilder.finishAll(builders(parts));
    const b = concatDatasets(builders(parts).map((x) => x.finish()));
    expect(a.n).toBe(b.n);
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.returns)).toEqual(Array.from(b.returns));
    expect(Array.from(a.timestamps)).toEqual(Array.from(b.timestamps));
    expect(a.skipped).toBe(b.skipped);
  });
});

import { buildFeatures } from '../pipeline/build-features';
import { FEATURE_COUNT, FEATURE_INDEX, FEATURE_NAMES, FEATURE_SET_VERSION } from '../pipeline/feature-set';
import { matrixRow } from '../pipeline/normalizer';
import { randomSnapshot, seededRandom } from '../testing/random-snapshot';
import { buildDatasetRows, DatasetBuilder, DatasetRecord } from './dataset-builder';

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

  it('grows past its capacity hint, from a generator', () => {
    function* gen() {
      for (let i = 0; i < 1000; i++) yield record(1000 - i, i % 2); // arrives newest first
    }
    const ds = buildDatasetRows(gen(), { capacityHint: 16 });
    expect(ds.n).toBe(1000);
    expect(ds.X.length).toBe(1000 * FEATURE_COUNT);
    for (let i = 1; i < ds.n; i++) expect(ds.timestamps[i]).toBeGreaterThan(ds.timestamps[i - 1]);
    expect(ds.y[0]).toBe(999 % 2); // the oldest (minute 1) was the last one yielded
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
    const ds = buildDatasetRows(gen(), { capacityHint: n });
    expect(ds.n).toBe(n);
    expect(ds.X.length).toBe(n * FEATURE_COUNT);
    let ordered = true;
    for (let i = 0; i < n; i++) if (ds.timestamps[i] !== T0 + i * 1000 || ds.returns[i] !== i) ordered = false;
    expect(ordered).toBe(true);
  });
});

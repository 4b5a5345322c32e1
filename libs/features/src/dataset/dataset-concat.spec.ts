import { randomSnapshot, seededRandom } from '../testing/random-snapshot';
import { buildDatasetRows, Dataset, DatasetRecord } from './dataset-builder';
import { concatDatasets } from './dataset-concat';

const T0 = Date.parse('2024-05-01T00:00:00Z');

function record(minute: number, label: number, side: 'buy' | 'sell' = minute % 2 ? 'buy' : 'sell'): DatasetRecord {
  return { snapshot: randomSnapshot(seededRandom(minute + 1), 0.2), side, timestamp: T0 + minute * 60_000, label, ret: label ? 0.02 : -0.01 };
}

const columns = (d: Dataset): number[][] => [Array.from(d.X), Array.from(d.y), Array.from(d.returns), Array.from(d.timestamps)];

describe('concatDatasets', () => {
  it('joins consecutive time windows end to end: the same rows as one build of all records', () => {
    const records = [0, 1, 2, 3, 4, 5, 6].map((m) => record(m, m % 3 === 0 ? 1 : 0));
    const whole = buildDatasetRows(records);
    const joined = concatDatasets([buildDatasetRows(records.slice(0, 3)), buildDatasetRows([]), buildDatasetRows(records.slice(3))]);
    expect(joined.n).toBe(7);
    expect(columns(joined)).toEqual(columns(whole));
  });

  it('sorts parts that overlap in time, equal times in part order', () => {
    const a = buildDatasetRows([record(1, 1), record(4, 0), record(5, 1)]);
    const b = buildDatasetRows([record(2, 0), record(4, 1, 'buy'), { ...record(6, 0), label: Number.NaN }]);
    const joined = concatDatasets([a, b]);
    expect(Array.from(joined.timestamps)).toEqual([1, 2, 4, 4, 5].map((m) => T0 + m * 60_000));
    expect(Array.from(joined.y)).toEqual([1, 0, 0, 1, 1]);
    expect(columns(joined)).toEqual(columns(buildDatasetRows([record(1, 1), record(2, 0), record(4, 0), record(4, 1, 'buy'), record(5, 1)])));
    expect(joined.skipped).toBe(1);
  });

  it('returns a single part as it is and refuses no parts', () => {
    const only = buildDatasetRows([record(0, 1)]);
    expect(concatDatasets([only])).toBe(only);
    expect(() => concatDatasets([])).toThrow(RangeError);
  });

  it('refuses parts with different feature sets', () => {
    const a = buildDatasetRows([record(0, 1)]);
    expect(() => concatDatasets([a, { ...a, nFeatures: a.nFeatures - 1 }])).toThrow(/features do not match/);
  });
});

import { buildDatasetRows, DatasetRecord, FEATURE_COUNT, FEATURE_INDEX } from '@model-service/features';
import { randomSnapshot, seededRandom } from '@model-service/features/testing';

import { planSplit, prepareTraining, splitOf } from './training-split';

const MIN = 60_000;

describe('planSplit', () => {
  const minutes = (n: number): number[] => Array.from({ length: n }, (_, i) => i * MIN);
  it.each<[string, number, number, number, { trainEnd: number; validationStart: number }]>([
    ['no embargo: last 20 % validate', 10, 0.2, 0, { trainEnd: 8, validationStart: 8 }],
    ['embargo of 2 minutes drops the 2 rows before validation', 10, 0.2, 2 * MIN, { trainEnd: 6, validationStart: 8 }],
    ['embargo of 1 ms keeps all earlier rows (1 minute apart)', 10, 0.2, 1, { trainEnd: 8, validationStart: 8 }],
    ['embargo longer than the history leaves no training rows', 10, 0.2, 60 * MIN, { trainEnd: 0, validationStart: 8 }],
    ['any positive fraction validates at least one row', 3, 0.05, 0, { trainEnd: 2, validationStart: 2 }],
  ])('%s', (_name, n, fraction, embargo, expected) => {
    expect(planSplit(minutes(n), n, fraction, embargo)).toEqual({ n, ...expected });
  });

  it('names each row', () => {
    const plan = { n: 10, trainEnd: 6, validationStart: 8 };
    expect(Array.from({ length: 10 }, (_, i) => splitOf(plan, i)).join(' ')).toBe(
      'train train train train train train embargo embargo validation validation',
    );
  });
});

describe('prepareTraining', () => {
  const rand = seededRandom(9);
  const records: DatasetRecord[] = Array.from({ length: 50 }, (_, i) => ({
    snapshot: randomSnapshot(rand, 0.3),
    side: i % 2 ? 'buy' : 'sell',
    timestamp: i * MIN,
    label: i % 3 === 0 ? 1 : 0,
    ret: i / 100,
  }));
  // An outlier in a validation row must not shape the statistics.
  records[45].snapshot = { ...records[45].snapshot, volume_24h: 1e30 };
  const dataset = buildDatasetRows(records);
  const plan = { n: 50, trainEnd: 36, validationStart: 40 };

  it('fits the normaliser on the training rows only and drops the embargo', () => {
    const prepared = prepareTraining(dataset, plan);
    expect(prepared.n).toBe(46);
    expect(prepared.validationFrom).toBe(36);
    expect(prepared.X).toHaveLength(46 * FEATURE_COUNT);
    expect(Array.from(prepared.y.subarray(36))).toEqual(Array.from(dataset.y.subarray(40)));
    expect(Array.from(prepared.returns.subarray(36))).toEqual(Array.from(dataset.returns.subarray(40)));
    const j = FEATURE_INDEX['log_volume_24h'];
    const trainValues = Array.from({ length: 36 }, (_, i) => prepared.X[i * FEATURE_COUNT + j]);
    const mean = trainValues.reduce((a, b) => a + b, 0) / 36;
    expect(Math.abs(mean)).toBeLessThan(0.5); // centred on the training rows (missing ones are 0 too)
    expect(prepared.X[(36 + 5) * FEATURE_COUNT + j]).toBe(10); // the outlier is clipped, not fitted
    expect(prepared.X.every(Number.isFinite)).toBe(true);
  });

  it('uses given statistics unchanged (fine-tuning keeps the parent model’s normalisation)', () => {
    const first = prepareTraining(dataset, plan);
    const again = prepareTraining(dataset, { n: 50, trainEnd: 10, validationStart: 10 }, first.stats);
    expect(again.stats).toBe(first.stats);
    expect(Array.from(again.X.subarray(0, FEATURE_COUNT))).toEqual(Array.from(first.X.subarray(0, FEATURE_COUNT)));
  });
});

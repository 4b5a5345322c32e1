import { buildDatasetRows } from './dataset/dataset-builder';
import { buildFeatures, featureInputFromSignal } from './pipeline/build-features';
import { FEATURE_COUNT, FEATURE_NAMES } from './pipeline/feature-set';
import { applyNormalizer, fitNormalizer, matrixRow, normalizeMatrix } from './pipeline/normalizer';
import { SignalLike } from './pipeline/snapshot-input';
import { randomSnapshot, seededRandom } from './testing/random-snapshot';

/**
 * Train/serve parity: the signal-generator builds a vector from the live signal; the trainer builds
 * it later from the row stored in `trading_signals` (JSONB snapshot, timestamptz read back as a
 * Date) into a Float32 matrix. Both must agree to 1e-6 (relative to the value's size), raw and
 * normalised.
 */
describe('train/serve parity', () => {
  const rand = seededRandom(11);
  const live: SignalLike[] = Array.from({ length: 2000 }, (_, i) => ({
    signal_type: i % 3 ? 'buy' : 'sell',
    timestamp: new Date(Date.UTC(2024, 5, 1) + i * 61_123).toISOString(),
    market_data_snapshot: randomSnapshot(rand, 0.25),
  }));
  const stored = live.map((s) => {
    const row = JSON.parse(JSON.stringify(s)) as SignalLike;
    return { ...row, timestamp: new Date(row.timestamp) };
  });

  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

  it('raw and normalised vectors agree for every stored signal', () => {
    const ds = buildDatasetRows(stored.map((s) => ({ ...featureInputFromSignal(s), label: 1, ret: 0 })));
    const stats = fitNormalizer(ds.X, FEATURE_COUNT);
    const Z = normalizeMatrix(stats, Float32Array.from(ds.X));
    const mismatches: string[] = [];
    live.forEach((s, i) => {
      const inference = buildFeatures(featureInputFromSignal(s));
      const z = applyNormalizer(stats, inference);
      const trained = matrixRow(ds.X, FEATURE_COUNT, i);
      const trainedZ = matrixRow(Z, FEATURE_COUNT, i);
      for (let j = 0; j < FEATURE_COUNT; j++) {
        if (!near(trained[j], inference[j])) mismatches.push(`row ${i} ${FEATURE_NAMES[j]} raw`);
        if (!near(trainedZ[j], z[j])) mismatches.push(`row ${i} ${FEATURE_NAMES[j]} normalised`);
      }
    });
    expect(mismatches).toEqual([]);
  });
});

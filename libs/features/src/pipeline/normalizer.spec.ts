import { randomSnapshot, seededRandom } from '../testing/random-snapshot';
import { buildFeaturesInto } from './build-features';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SET_VERSION } from './feature-set';
import { applyNormalizer, assertFeatureSet, fitNormalizer, matrixRow, matrixRows, NORMALIZED_CLIP, normalizeMatrix, parseNormalizationStats } from './normalizer';

const NAMES = ['a', 'a_missing', 'b', 'c'];
// a: present in rows 0 and 2 only (row 1 is flagged missing, its raw 999 must be ignored)
// b: constant 5 → std stored as 1
// c: 1, 2, 3, 6 → mean 3, population σ² = (4 + 1 + 0 + 9)/4 = 3.5
const ROWS = [
  [2, 0, 5, 1],
  [999, 1, 5, 2],
  [4, 0, 5, 3],
  [3, 0, 5, 6],
];

describe('fitNormalizer', () => {
  const stats = fitNormalizer(ROWS, 4, { names: NAMES });

  it.each<[string, number, number]>([
    // a over rows 0, 2, 3: 2, 4, 3 → mean 3, σ² = (1 + 1 + 0)/3
    ['a', 3, Math.sqrt(2 / 3)],
    // flag 0, 1, 0, 0 → mean 0.25, σ² = 0.25·0.75
    ['a_missing', 0.25, Math.sqrt(0.1875)],
    ['b', 5, 1],
    ['c', 3, Math.sqrt(3.5)],
  ])('%s: mean %d, std %d (missing rows left out)', (name, mean, std) => {
    const j = NAMES.indexOf(name);
    expect(stats.mean[j]).toBeCloseTo(mean, 12);
    expect(stats.std[j]).toBeCloseTo(std, 12);
  });

  it('gives the same stats from an array of rows and from a Float64 row-major matrix', () => {
    const m = Float64Array.from(ROWS.flat());
    expect(fitNormalizer(m, 4, { names: NAMES })).toEqual(stats);
  });

  it('is fitted on the rows it is given only: validation rows do not move it', () => {
    const rand = seededRandom(9);
    const n = 500;
    const X = new Float32Array(n * FEATURE_COUNT);
    for (let i = 0; i < n; i++) {
      buildFeaturesInto({ snapshot: randomSnapshot(rand, 0.2), side: i % 2 ? 'buy' : 'sell', timestamp: i * 60_000 }, X, i * FEATURE_COUNT);
    }
    const train = fitNormalizer(matrixRows(X, FEATURE_COUNT, 0, 400), FEATURE_COUNT);
    X.subarray(400 * FEATURE_COUNT).fill(1e6); // wreck the validation part
    expect(fitNormalizer(matrixRows(X, FEATURE_COUNT, 0, 400), FEATURE_COUNT)).toEqual(train);
    expect(train.feature_set_version).toBe(FEATURE_SET_VERSION);
    expect(train.names).toEqual(FEATURE_NAMES);
    expect(train.mean.every(Number.isFinite) && train.std.every((s) => s > 0)).toBe(true);
  });

  it.each<[string, () => unknown]>([
    ['nFeatures 0', () => fitNormalizer([], 0)],
    ['names of the wrong length', () => fitNormalizer(ROWS, 4, { names: ['x'] })],
    ['matrix not a multiple of nFeatures', () => fitNormalizer(new Float32Array(7), 4)],
    ['a short row', () => fitNormalizer([[1, 2]], 4)],
  ])('rejects %s', (_name, fn) => {
    expect(fn).toThrow(RangeError);
  });

  it('empty data: mean 0, std 1; custom widths get generic names', () => {
    const s = fitNormalizer([], 3);
    expect(s).toEqual({ feature_set_version: 'custom', names: ['f0', 'f1', 'f2'], mean: [0, 0, 0], std: [1, 1, 1] });
  });
});

describe('applyNormalizer and normalizeMatrix', () => {
  const stats = { feature_set_version: 'custom', names: NAMES, mean: [3, 0.25, 5, 3], std: [2, 0.5, 1, 0.1] };

  it.each<[string, number[], number[]]>([
    ['plain row', [5, 0, 5, 3.05], [1, -0.5, 0, 0.5]],
    ['missing a → 0 whatever its raw value', [999, 1, 6, 3], [0, 1.5, 1, 0]],
    ['clipped at +10σ', [3, 0, 5, 300], [0, -0.5, 0, NORMALIZED_CLIP]],
    ['clipped at -10σ', [3, 0, -1e9, 3], [0, -0.5, -NORMALIZED_CLIP, 0]],
    ['non-finite → 0', [Number.NaN, 0, Number.POSITIVE_INFINITY, 3], [0, -0.5, 0, 0]],
  ])('%s', (_name, row, expected) => {
    const z = applyNormalizer(stats, row);
    expected.forEach((e, j) => expect(z[j]).toBeCloseTo(e, 12));
  });

  it('in place on a row and on a matrix gives the same as out of place', () => {
    const rows = [
      [5, 0, 5, 3.05],
      [999, 1, 6, 3],
    ];
    const expected = rows.map((r) => Array.from(applyNormalizer(stats, r)));
    const row = Float64Array.from(rows[1]);
    applyNormalizer(stats, row, row);
    expect(Array.from(row)).toEqual(expected[1]);
    const m = Float32Array.from(rows.flat());
    normalizeMatrix(stats, m);
    [0, 1].forEach((i) => matrixRow(m, 4, i).forEach((z, j) => expect(z).toBeCloseTo(expected[i][j], 5)));
  });

  it('rejects a row shorter than the stats and a ragged matrix', () => {
    expect(() => applyNormalizer(stats, [1, 2])).toThrow(RangeError);
    expect(() => normalizeMatrix(stats, new Float32Array(6))).toThrow(RangeError);
  });

  it('normalises 1,000,000 fs-1 rows in place', () => {
    const n = 1_000_000;
    const X = new Float32Array(n * FEATURE_COUNT);
    for (let i = 0; i < X.length; i++) X[i] = (i % 7) - 3;
    const s = fitNormalizer(X, FEATURE_COUNT);
    normalizeMatrix(s, X);
    let outside = 0;
    for (let i = 0; i < X.length; i++) if (!(X[i] >= -NORMALIZED_CLIP && X[i] <= NORMALIZED_CLIP)) outside++;
    expect(outside).toBe(0);
    // Column 0 holds -3..3 cycling with period 7 over rows 0, 43, 86, ...: standardised, mean 0.
    let sum = 0;
    for (let i = 0; i < n; i++) sum += X[i * FEATURE_COUNT];
    expect(sum / n).toBeCloseTo(0, 3);
  });
});

describe('stats as JSON', () => {
  const stats = fitNormalizer(ROWS, 4, { names: NAMES, featureSetVersion: 'test-1' });

  it('round-trips through JSON and validates', () => {
    expect(parseNormalizationStats(JSON.parse(JSON.stringify(stats)))).toEqual(stats);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['no version', { ...stats, feature_set_version: 1 }],
    ['mean too short', { ...stats, mean: [0] }],
    ['std 0', { ...stats, std: [1, 1, 0, 1] }],
    ['NaN mean (null in JSON)', JSON.parse(JSON.stringify({ ...stats, mean: [Number.NaN, 0, 0, 0] }))],
    ['names not strings', { ...stats, names: [1, 2, 3, 4] }],
  ])('rejects %s', (_name, value) => {
    expect(() => parseNormalizationStats(value)).toThrow(/invalid normalization stats/);
  });

  it('assertFeatureSet refuses another version or other names', () => {
    const fs1 = { feature_set_version: FEATURE_SET_VERSION, names: [...FEATURE_NAMES], mean: [], std: [] };
    expect(() => assertFeatureSet(fs1)).not.toThrow();
    expect(() => assertFeatureSet({ ...fs1, feature_set_version: 'fs-0' })).toThrow(/fs-0/);
    expect(() => assertFeatureSet({ ...fs1, names: [...FEATURE_NAMES].reverse() })).toThrow(/names differ/);
  });
});

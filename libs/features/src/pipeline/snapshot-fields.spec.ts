import { randomSnapshot, seededRandom } from '../testing/random-snapshot';
import { buildFeatures } from './build-features';
import { SNAPSHOT_FEATURE_PATHS, SNAPSHOT_FEATURE_TYPES, snapshotFromValues, SnapshotView } from './snapshot-fields';
import type { SnapshotInput } from './snapshot-input';

/** What PostgreSQL's `jsonb #> path` returns: the value when every parent is an object holding the key, else NULL. */
function atPath(doc: unknown, path: readonly string[]): unknown {
  let v = doc;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, key)) return null;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The snapshot as a reader that fetched only SNAPSHOT_FEATURE_PATHS sees it (through JSON, like the database). */
function projected(snapshot: unknown): SnapshotInput {
  const doc = JSON.parse(JSON.stringify(snapshot)) as unknown;
  return snapshotFromValues(SNAPSHOT_FEATURE_PATHS.map((p) => atPath(doc, p)));
}

const features = (snapshot: SnapshotInput, side: 'buy' | 'sell' = 'buy'): number[] =>
  Array.from(buildFeatures({ snapshot, side, timestamp: Date.UTC(2026, 2, 3, 14, 5) }));

describe('SNAPSHOT_FEATURE_PATHS / snapshotFromValues', () => {
  it('gives the features of the whole snapshot on random snapshots with gaps', () => {
    const rand = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const s = randomSnapshot(rand, 0.3);
      const side = i % 2 === 0 ? 'buy' : 'sell';
      expect(features(projected(s), side)).toEqual(features(JSON.parse(JSON.stringify(s)) as SnapshotInput, side));
    }
  });

  it.each<[string, unknown]>([
    ['numeric strings', { price: ' 101.5 ', spread: '0.2', volume_24h: '1e3', technical_indicators: { return_1: '0.001', rsi_14: 'abc' } }],
    ['booleans and objects where numbers belong', { price: true, spread: { v: 1 }, volatility: [0.1], open_orders_count: false }],
    ['has_position as a string or a number', { has_position: 'true', position_size_norm: 0.4 }],
    ['has_position as 1', { has_position: 1, position_size_norm: 0 }],
    ['depth as an array', { price: 10, orderbook_depth: [1, 2, 3] }],
    ['depth as a string', { price: 10, orderbook_depth: 'deep' }],
    ['depth with only the imbalance', { orderbook_depth: { imbalance: 0.3 } }],
    ['depth with negative sizes', { orderbook_depth: { bid_depth: -1, ask_depth: 2, imbalance: -0.5 } }],
    ['indicators as an array', { technical_indicators: [0.1, 0.2] }],
    ['indicators as a number', { technical_indicators: 5 }],
    ['indicators empty', { technical_indicators: {} }],
    ['nulls everywhere', { price: null, orderbook_depth: null, technical_indicators: null, has_position: null }],
    ['the snapshot an array', [1, 2]],
    ['the snapshot a string', 'snapshot'],
    ['extra fields', { price: 5, candles: [[1, 2]], technical_indicators: { atr_14: 3, candles: 50, volatility: 0.2, return_5: 0.01 } }],
  ])('gives the features of the whole snapshot with %s', (_, snapshot) => {
    const whole = (JSON.parse(JSON.stringify(snapshot)) ?? {}) as SnapshotInput;
    expect(features(projected(snapshot))).toEqual(features(whole));
    expect(features(projected(snapshot), 'sell')).toEqual(features(whole, 'sell'));
  });

  it('every listed path moves a feature (nothing fetched for nothing), price included', () => {
    const base = randomSnapshot(seededRandom(3), 0) as Record<string, unknown>;
    const baseFeatures = features(projected(base));
    for (const path of SNAPSHOT_FEATURE_PATHS) {
      const changed = JSON.parse(JSON.stringify(base)) as Record<string, Record<string, unknown>>;
      const parent = path.length === 1 ? changed : changed[path[0]];
      const key = path[path.length - 1];
      // has_position flips; imbalance only counts without depths; every other value is scaled.
      if (key === 'has_position') parent[key] = !parent[key];
      else if (key === 'imbalance') {
        delete parent['bid_depth'];
        parent[key] = 0.123;
      } else parent[key] = Number(parent[key]) * 1.5 + 0.01;
      expect({ path: path.join('.'), moved: features(projected(changed)).some((v, j) => v !== baseFeatures[j]) }).toEqual({ path: path.join('.'), moved: true });
    }
  });
});

describe('SnapshotView', () => {
  /** The values as the database column holds them (NaN: absent or null; has_position as 1 / 0), or null when not all are numbers. */
  function asNumbers(snapshot: unknown): Float64Array | null {
    const doc = JSON.parse(JSON.stringify(snapshot)) as unknown;
    const out = new Float64Array(SNAPSHOT_FEATURE_PATHS.length);
    for (let i = 0; i < SNAPSHOT_FEATURE_PATHS.length; i++) {
      const v = atPath(doc, SNAPSHOT_FEATURE_PATHS[i]);
      if (v === null || v === undefined) out[i] = Number.NaN;
      else if (SNAPSHOT_FEATURE_TYPES[i] === 'boolean' && typeof v === 'boolean') out[i] = v ? 1 : 0;
      else if (SNAPSHOT_FEATURE_TYPES[i] === 'float8' && typeof v === 'number') out[i] = v;
      else return null;
    }
    return out;
  }

  it('holds has_position as a boolean and every other value as a number', () => {
    expect(SNAPSHOT_FEATURE_PATHS.filter((_, i) => SNAPSHOT_FEATURE_TYPES[i] === 'boolean')).toEqual([['has_position']]);
  });

  it('gives the features of the projected snapshot, one reused object row after row (nothing left over from the last row)', () => {
    const view = new SnapshotView(SNAPSHOT_FEATURE_PATHS, SNAPSHOT_FEATURE_TYPES);
    const rand = seededRandom(11);
    const all = new Float64Array(SNAPSHOT_FEATURE_PATHS.length * 400);
    const snapshots = Array.from({ length: 400 }, (_, i) => {
      // Gaps of every kind: missing values, nulls, whole groups absent, has_position absent or false.
      const s = randomSnapshot(rand, 0.4) as Record<string, unknown>;
      if (i % 5 === 0) delete s['technical_indicators'];
      if (i % 7 === 0) s['orderbook_depth'] = null;
      if (i % 3 === 0) delete s['has_position'];
      return s;
    });
    snapshots.forEach((s, i) => {
      const values = asNumbers(s);
      expect(values).not.toBeNull();
      all.set(values as Float64Array, i * SNAPSHOT_FEATURE_PATHS.length);
    });
    let first: SnapshotInput | null = null;
    snapshots.forEach((s, i) => {
      const loaded = view.load(all, i * SNAPSHOT_FEATURE_PATHS.length);
      first ??= loaded;
      expect(loaded).toBe(first);
      const side = i % 2 === 0 ? 'buy' : 'sell';
      expect(features(loaded, side)).toEqual(features(projected(s), side));
    });
  });

  it('refuses paths that cannot share one object', () => {
    expect(() => new SnapshotView([['a'], ['a', 'b']], ['float8', 'float8'])).toThrow(RangeError);
    expect(() => new SnapshotView([['a'], ['a']], ['float8', 'float8'])).toThrow(RangeError);
    expect(() => new SnapshotView([['a']], [])).toThrow(RangeError);
  });
});

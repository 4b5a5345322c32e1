import { randomSnapshot, seededRandom } from '../testing/random-snapshot';
import { buildFeatures, buildFeaturesInto, featureInputFromSignal, featureVectorHash } from './build-features';
import { FEATURE_COUNT, FEATURE_INDEX, FEATURE_NAMES, FEATURE_SET_VERSION, missingFlagIndices } from './feature-set';
import { FeatureInput, SnapshotInput } from './snapshot-input';

const T = '2024-01-07T00:00:00.000Z'; // a Sunday, midnight UTC

const FULL: SnapshotInput = {
  price: 50_000,
  spread: 5,
  volume_24h: Math.E - 1,
  volatility: 0.0015,
  orderbook_depth: { bid_depth: 300, ask_depth: 100, imbalance: 0.9 },
  technical_indicators: {
    return_1: 0.001,
    return_5: -0.002,
    return_15: 0.003,
    rsi_14: 70,
    ema_ratio: 0.004,
    atr_14: 100,
    atr_pct: 0.2,
    bollinger_pctb: 0.9,
    volume_zscore: 1.5,
    volatility: 0.0015,
    candles: 50,
  },
  open_orders_count: 3,
  position_size_norm: 0.25,
  has_position: true,
};

function features(snapshot: SnapshotInput, side: 'buy' | 'sell' = 'buy', timestamp: FeatureInput['timestamp'] = T) {
  const v = buildFeatures({ snapshot, side, timestamp });
  return (name: string): number => {
    if (!(name in FEATURE_INDEX)) throw new Error(`no feature ${name}`);
    return v[FEATURE_INDEX[name]];
  };
}

describe('feature set fs-1', () => {
  it('has unique names, a version, and every `_missing` flag right after its value', () => {
    expect(FEATURE_SET_VERSION).toBe('fs-1');
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    expect(FEATURE_COUNT).toBe(FEATURE_NAMES.length);
    for (const name of FEATURE_NAMES.filter((n) => n.endsWith('_missing'))) {
      expect(FEATURE_NAMES.indexOf(name)).toBe(FEATURE_NAMES.indexOf(name.slice(0, -'_missing'.length)) + 1);
    }
  });

  it.each([
    ['return_5', 'return_5_missing'],
    ['side_x_return_5', 'return_5_missing'],
    ['side_x_rsi', 'rsi_14_missing'],
    ['side_x_position', 'position_size_norm_missing'],
    ['spread_bps', 'spread_bps_missing'],
    ['side', null],
    ['hour_sin', null],
    ['return_5_missing', null],
  ])('%s is paired with flag %s', (name, flag) => {
    const idx = missingFlagIndices(FEATURE_NAMES)[FEATURE_INDEX[name]];
    expect(idx).toBe(flag === null ? -1 : FEATURE_INDEX[flag]);
  });
});

describe('buildFeatures — definitions on a complete snapshot', () => {
  const buy = features(FULL, 'buy');
  const sell = features(FULL, 'sell');
  it.each<[string, number, number]>([
    // name, buy value, sell value
    ['side', 1, -1],
    ['return_1', 0.001, 0.001],
    ['return_5', -0.002, -0.002],
    ['return_15', 0.003, 0.003],
    ['rsi_14', 70, 70],
    ['ema_ratio', 0.004, 0.004],
    ['atr_pct', 0.2, 0.2],
    ['bollinger_pctb', 0.9, 0.9],
    ['volume_zscore', 1.5, 1.5],
    ['volatility', 0.0015, 0.0015],
    ['spread_bps', 1, 1], // 5 / 50,000 × 1e4
    ['log_volume_24h', 1, 1], // ln(1 + e - 1)
    ['depth_imbalance', 0.5, 0.5], // (300 - 100) / 400; the snapshot's 0.9 is ignored when depths exist
    ['log_open_orders', Math.log(4), Math.log(4)],
    ['position_size_norm', 0.25, 0.25],
    ['has_position', 1, 1],
    ['side_x_return_1', 0.001, -0.001],
    ['side_x_return_5', -0.002, 0.002],
    ['side_x_return_15', 0.003, -0.003],
    ['side_x_ema_ratio', 0.004, -0.004],
    ['side_x_rsi', 0.4, -0.4], // (70 - 50) / 50
    ['side_x_bollinger', 0.4, -0.4], // 0.9 - 0.5
    ['side_x_depth_imbalance', 0.5, -0.5],
    ['side_x_position', 0.25, -0.25],
    ['hour_sin', 0, 0],
    ['hour_cos', 1, 1],
    ['dow_sin', 0, 0],
    ['dow_cos', 1, 1],
  ])('%s = %d for a buy, %d for a sell', (name, b, s) => {
    expect(buy(name)).toBeCloseTo(b, 12);
    expect(sell(name)).toBeCloseTo(s, 12);
  });

  it('no flag is set on a complete snapshot', () => {
    for (const name of FEATURE_NAMES.filter((n) => n.endsWith('_missing'))) expect([name, buy(name)]).toEqual([name, 0]);
  });
});

const INDICATORS = ['return_1', 'return_5', 'return_15', 'rsi_14', 'ema_ratio', 'atr_pct', 'bollinger_pctb', 'volume_zscore'];

describe('buildFeatures — missing and bad values are explicit, never NaN', () => {
  const ti = FULL.technical_indicators as Record<string, number | null>;
  it.each<[string, SnapshotInput, string[]]>([
    ['no technical indicators', { ...FULL, technical_indicators: undefined }, INDICATORS],
    ['indicators null', { ...FULL, technical_indicators: null }, INDICATORS],
    ['indicators empty', { ...FULL, technical_indicators: {} }, INDICATORS],
    ['one indicator null', { ...FULL, technical_indicators: { ...ti, rsi_14: null } }, ['rsi_14']],
    ['indicator NaN', { ...FULL, technical_indicators: { ...ti, ema_ratio: Number.NaN } }, ['ema_ratio']],
    ['indicator infinite', { ...FULL, technical_indicators: { ...ti, return_5: Number.POSITIVE_INFINITY } }, ['return_5']],
    ['price 0 → no spread', { ...FULL, price: 0 }, ['spread_bps']],
    ['negative spread', { ...FULL, spread: -1 }, ['spread_bps']],
    ['negative volume', { ...FULL, volume_24h: -5 }, ['log_volume_24h']],
    ['volatility null', { ...FULL, volatility: null }, ['volatility']],
    ['no order book', { ...FULL, orderbook_depth: undefined }, ['depth_imbalance']],
    ['empty order book (0/0)', { ...FULL, orderbook_depth: { bid_depth: 0, ask_depth: 0 } }, ['depth_imbalance']],
    ['imbalance out of [-1, 1] and no depths', { ...FULL, orderbook_depth: { imbalance: 1.5 } }, ['depth_imbalance']],
    ['negative open orders', { ...FULL, open_orders_count: -1 }, ['log_open_orders']],
    ['no position state', { ...FULL, position_size_norm: undefined, has_position: undefined }, ['position_size_norm', 'has_position']],
  ])('%s → flags %j, values 0', (_name, snapshot, missing) => {
    const buy = features(snapshot);
    for (const name of missing) {
      expect([name, buy(name), buy(`${name}_missing`)]).toEqual([name, 0, 1]);
    }
    const others = FEATURE_NAMES.filter((n) => n.endsWith('_missing') && !missing.includes(n.slice(0, -8)));
    for (const flag of others) expect([flag, buy(flag)]).toEqual([flag, 0]);
  });

  it('interactions of a missing input are 0', () => {
    const f = features({ ...FULL, technical_indicators: null, orderbook_depth: null, position_size_norm: null }, 'sell');
    for (const n of FEATURE_NAMES.filter((x) => x.startsWith('side_x_'))) expect([n, f(n)]).toEqual([n, 0]);
  });

  it.each<[string, SnapshotInput, string, number]>([
    ['imbalance used when depths are absent', { ...FULL, orderbook_depth: { imbalance: -0.3 } }, 'depth_imbalance', -0.3],
    ['has_position derived from size > 0', { ...FULL, has_position: undefined, position_size_norm: 0.3 }, 'has_position', 1],
    ['has_position derived from size 0', { ...FULL, has_position: undefined, position_size_norm: 0 }, 'has_position', 0],
    ['explicit has_position wins', { ...FULL, has_position: false, position_size_norm: 0.3 }, 'has_position', 0],
    ['zero spread is 0 bps, not missing', { ...FULL, spread: 0 }, 'spread_bps', 0],
    ['zero volume is ln 1 = 0', { ...FULL, volume_24h: 0 }, 'log_volume_24h', 0],
    ['numeric strings from stored rows', { ...FULL, price: '50000' as unknown as number, spread: '10' as unknown as number }, 'spread_bps', 2],
  ])('%s', (_name, snapshot, feature, expected) => {
    const f = features(snapshot);
    expect(f(feature)).toBeCloseTo(expected, 12);
    if (`${feature}_missing` in FEATURE_INDEX) expect(f(`${feature}_missing`)).toBe(0);
  });

  it('every value is finite over 20,000 random, partly missing and partly garbage snapshots', () => {
    const rand = seededRandom(3);
    const garbage = [Number.NaN, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, 'abc', {}, null, undefined, -0];
    for (let i = 0; i < 20_000; i++) {
      const s = randomSnapshot(rand, 0.3) as Record<string, unknown>;
      if (i % 3 === 0) s[['price', 'spread', 'volume_24h', 'volatility', 'open_orders_count'][i % 5]] = garbage[i % garbage.length];
      const v = buildFeatures({ snapshot: s as SnapshotInput, side: i % 2 ? 'buy' : 'sell', timestamp: 1.7e12 + i * 61_000 });
      for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) throw new Error(`row ${i} ${FEATURE_NAMES[j]} = ${v[j]}`);
    }
  });
});

describe('buildFeatures — side, time and API edges', () => {
  it.each<[string, FeatureInput['timestamp'], number, number]>([
    // timestamp, day phase (hour / 24), week phase (from Sunday 00:00 UTC)
    ['Sunday midnight', T, 0, 0],
    ['Sunday 06:00', '2024-01-07T06:00:00Z', 0.25, 0.25 / 7],
    ['Sunday 18:00 in another zone (+02:00)', '2024-01-07T20:00:00+02:00', 0.75, 0.75 / 7],
    ['Wednesday noon', '2024-01-10T12:00:00Z', 0.5, 3.5 / 7],
    ['Saturday 23:59:59.999', '2024-01-13T23:59:59.999Z', 1 - 1 / 86_400_000, 1 - 1 / (7 * 86_400_000)],
    ['as a Date', new Date('2024-01-10T12:00:00Z'), 0.5, 3.5 / 7],
    ['as epoch ms', Date.parse('2024-01-10T12:00:00Z'), 0.5, 3.5 / 7],
    ['before 1970', '1969-12-31T18:00:00Z', 0.75, 3.75 / 7], // a Wednesday
  ])('%s', (_name, ts, day, week) => {
    const f = features(FULL, 'buy', ts);
    expect(f('hour_sin')).toBeCloseTo(Math.sin(2 * Math.PI * day), 9);
    expect(f('hour_cos')).toBeCloseTo(Math.cos(2 * Math.PI * day), 9);
    expect(f('dow_sin')).toBeCloseTo(Math.sin(2 * Math.PI * week), 9);
    expect(f('dow_cos')).toBeCloseTo(Math.cos(2 * Math.PI * week), 9);
  });

  it.each<[string, FeatureInput]>([
    ['side hold', { snapshot: FULL, side: 'hold' as 'buy', timestamp: T }],
    ['side BUY (the contract is lower case)', { snapshot: FULL, side: 'BUY' as 'buy', timestamp: T }],
    ['unparseable timestamp', { snapshot: FULL, side: 'buy', timestamp: 'yesterday' }],
    ['invalid Date', { snapshot: FULL, side: 'buy', timestamp: new Date(Number.NaN) }],
    ['NaN epoch', { snapshot: FULL, side: 'buy', timestamp: Number.NaN }],
  ])('throws a RangeError for %s', (_name, input) => {
    expect(() => buildFeatures(input)).toThrow(RangeError);
  });

  it('buildFeaturesInto writes one row at an offset of a Float32 matrix and nothing else', () => {
    const m = new Float32Array(3 * FEATURE_COUNT).fill(7);
    buildFeaturesInto({ snapshot: FULL, side: 'sell', timestamp: T }, m, FEATURE_COUNT);
    const expected = buildFeatures({ snapshot: FULL, side: 'sell', timestamp: T });
    expect(Array.from(m.subarray(0, FEATURE_COUNT)).every((x) => x === 7)).toBe(true);
    expect(Array.from(m.subarray(2 * FEATURE_COUNT)).every((x) => x === 7)).toBe(true);
    expected.forEach((x, j) => expect(m[FEATURE_COUNT + j]).toBeCloseTo(x, 6));
  });

  it('featureInputFromSignal takes the snapshot, side and time of a signal', () => {
    const signal = { signal_type: 'sell' as const, timestamp: T, market_data_snapshot: FULL, confidence: 0.9 };
    expect(buildFeatures(featureInputFromSignal(signal))).toEqual(buildFeatures({ snapshot: FULL, side: 'sell', timestamp: T }));
  });

  it('featureVectorHash is stable, versioned and sensitive to a change', () => {
    const v = buildFeatures({ snapshot: FULL, side: 'buy', timestamp: T });
    const h = featureVectorHash(v);
    expect(h).toMatch(/^fs-1:[0-9a-f]{16}$/);
    expect(featureVectorHash(Array.from(v))).toBe(h);
    expect(featureVectorHash(Float32Array.from(v))).toBe(h);
    const w = Float64Array.from(v);
    w[FEATURE_INDEX.rsi_14] += 0.01;
    expect(featureVectorHash(w)).not.toBe(h);
  });
});

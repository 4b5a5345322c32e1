import { createHash } from 'node:crypto';

import { asNumber, cos, dateParse, log1p, NAN, numberIsFinite, numberIsNaN, sin } from '../internal/fast-math';
import { FEATURE_COUNT, FEATURE_INDEX, FEATURE_SET_VERSION } from './feature-set';
import { FeatureInput, SignalLike, Side, SnapshotInput } from './snapshot-input';

const F = FEATURE_INDEX;
const DAY_MS = 86_400_000;
const TWO_PI = 2 * Math.PI;

/** A writable numeric vector: a typed array or a plain array. */
export type NumericVector = Float64Array | Float32Array | number[];

/**
 * The fs-1 feature vector (order: FEATURE_NAMES) for one decision. Pure and deterministic: reads
 * only `input.snapshot`, `input.side` and `input.timestamp`. Throws a RangeError for a side other
 * than buy/sell or an unparseable timestamp; any other bad value becomes a missing feature.
 */
export function buildFeatures(input: FeatureInput): Float64Array {
  const out = new Float64Array(FEATURE_COUNT);
  buildFeaturesInto(input, out, 0);
  return out;
}

/** `buildFeatures` writing into `out[offset .. offset + FEATURE_COUNT)` (no allocation). */
export function buildFeaturesInto(input: FeatureInput, out: NumericVector, offset = 0): void {
  writeFeatures(input, timestampMs(input.timestamp), out, offset);
}

/** `buildFeaturesInto` for a timestamp already parsed to epoch ms (the dataset builder's hot path). */
export function writeFeatures(input: FeatureInput, ms: number, out: NumericVector, offset: number): void {
  const side = sideSign(input.side);
  const s: SnapshotInput = input.snapshot ?? {};
  const o = offset;

  out[o + F.side] = side;

  const ti = s.technical_indicators ?? null;
  const ret1 = put(out, o + F.return_1, indicator(ti, 'return_1'));
  const ret5 = put(out, o + F.return_5, indicator(ti, 'return_5'));
  const ret15 = put(out, o + F.return_15, indicator(ti, 'return_15'));
  const rsi = put(out, o + F.rsi_14, indicator(ti, 'rsi_14'));
  const emaRatio = put(out, o + F.ema_ratio, indicator(ti, 'ema_ratio'));
  put(out, o + F.atr_pct, indicator(ti, 'atr_pct'));
  const pctb = put(out, o + F.bollinger_pctb, indicator(ti, 'bollinger_pctb'));
  put(out, o + F.volume_zscore, indicator(ti, 'volume_zscore'));
  put(out, o + F.volatility, finite(s.volatility));

  const price = finite(s.price);
  const spread = finite(s.spread);
  put(out, o + F.spread_bps, price > 0 && spread >= 0 ? (spread / price) * 1e4 : NAN);
  const volume = finite(s.volume_24h);
  put(out, o + F.log_volume_24h, volume >= 0 ? log1p(volume) : NAN);
  const imbalance = put(out, o + F.depth_imbalance, depthImbalance(s));

  const openOrders = finite(s.open_orders_count);
  put(out, o + F.log_open_orders, openOrders >= 0 ? log1p(openOrders) : NAN);
  const positionNorm = put(out, o + F.position_size_norm, finite(s.position_size_norm));
  const hasPosition = s.has_position;
  let held = NAN;
  if (typeof hasPosition === 'boolean') held = hasPosition ? 1 : 0;
  else if (!numberIsNaN(positionNorm)) held = positionNorm > 0 ? 1 : 0;
  put(out, o + F.has_position, held);

  out[o + F.side_x_return_1] = interact(side, ret1);
  out[o + F.side_x_return_5] = interact(side, ret5);
  out[o + F.side_x_return_15] = interact(side, ret15);
  out[o + F.side_x_ema_ratio] = interact(side, emaRatio);
  out[o + F.side_x_rsi] = interact(side, (rsi - 50) / 50);
  out[o + F.side_x_bollinger] = interact(side, pctb - 0.5);
  out[o + F.side_x_depth_imbalance] = interact(side, imbalance);
  out[o + F.side_x_position] = interact(side, positionNorm);

  const dayPhase = positiveMod(ms, DAY_MS) / DAY_MS;
  // 1970-01-01 was a Thursday: shifting by 4 days puts Sunday 00:00 UTC at phase 0.
  const weekPhase = positiveMod(ms + 4 * DAY_MS, 7 * DAY_MS) / (7 * DAY_MS);
  out[o + F.hour_sin] = sin(TWO_PI * dayPhase);
  out[o + F.hour_cos] = cos(TWO_PI * dayPhase);
  out[o + F.dow_sin] = sin(TWO_PI * weekPhase);
  out[o + F.dow_cos] = cos(TWO_PI * weekPhase);
}

/** The pipeline input for a TradingSignal (or a stored row of one): snapshot, side and time only. */
export function featureInputFromSignal(signal: SignalLike): FeatureInput {
  return { snapshot: signal.market_data_snapshot, side: signal.signal_type, timestamp: signal.timestamp };
}

/** Epoch milliseconds of an ISO 8601 string, Date or number; RangeError when not a valid time. */
export function timestampMs(ts: string | Date | number): number {
  let ms: number;
  if (typeof ts === 'number') ms = ts;
  else if (typeof ts === 'string') ms = dateParse(ts);
  else if (ts instanceof Date) ms = ts.getTime();
  else ms = NAN;
  if (!numberIsFinite(ms)) throw new RangeError(`feature timestamp is not a valid time: ${String(ts)}`);
  return ms;
}

/**
 * A short, stable fingerprint of a feature vector (for signal metadata and parity checks):
 * `fs-1:` + 16 hex chars of SHA-256 over the values rounded to float32.
 */
export function featureVectorHash(vector: ArrayLike<number>): string {
  const f32 = Float32Array.from(vector);
  const digest = createHash('sha256').update(Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength)).digest('hex');
  return `${FEATURE_SET_VERSION}:${digest.slice(0, 16)}`;
}

function sideSign(side: Side): 1 | -1 {
  if (side === 'buy') return 1;
  if (side === 'sell') return -1;
  throw new RangeError(`feature side must be 'buy' or 'sell', got ${String(side)}`);
}

/** Writes a value (or 0 when NaN) and its `_missing` flag in the next slot; returns the value. */
function put(out: NumericVector, index: number, value: number): number {
  const missing = numberIsNaN(value);
  out[index] = missing ? 0 : value;
  out[index + 1] = missing ? 1 : 0;
  return value;
}

function interact(side: number, value: number): number {
  return numberIsNaN(value) ? 0 : side * value;
}

function indicator(ti: SnapshotInput['technical_indicators'], key: string): number {
  return ti === null || ti === undefined ? NAN : finite(ti[key]);
}

/** A finite number (numeric strings from stored rows accepted), else NaN. */
function finite(v: unknown): number {
  if (typeof v === 'number') return numberIsFinite(v) ? v : NAN;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = asNumber(v);
    return numberIsFinite(n) ? n : NAN;
  }
  return NAN;
}

function depthImbalance(s: SnapshotInput): number {
  const depth = s.orderbook_depth;
  if (depth === null || depth === undefined || typeof depth !== 'object') return NAN;
  const bid = finite(depth.bid_depth);
  const ask = finite(depth.ask_depth);
  if (bid >= 0 && ask >= 0) return bid + ask > 0 ? (bid - ask) / (bid + ask) : NAN;
  const given = finite(depth.imbalance);
  return given >= -1 && given <= 1 ? given : NAN;
}

function positiveMod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

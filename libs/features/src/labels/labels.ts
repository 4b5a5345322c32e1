import { asNumber, NAN, numberIsFinite } from '../internal/fast-math';
import type { Side } from '../pipeline/snapshot-input';

/**
 * Training labels from realised outcomes.
 *
 * Conventions:
 * - `ret` is a FRACTION of the entry notional (0.012 = +1.2%), net of fees.
 * - `label` is 1 when the trade was profitable after fees: ret > `minReturn` (default 0, so
 *   break-even is NOT profitable), else 0.
 * - From `performance` (order-manager's view): `return_percent` is in PERCENT (1.2 = +1.2%) and,
 *   like `realized_pnl` (quote currency), already net of fees unless `performanceIsNetOfFees` is
 *   false, in which case `execution_fees` is subtracted (from the pnl, and as a fraction of the
 *   notional from the return). When only `realized_pnl` is present, ret = pnl / entry notional.
 * - Mark to market (no realised figures): a BUY gains when the later price is higher, a SELL when it
 *   is lower. Net = gross - entry fees - an estimated exit fee (`exitFeeRate` × later notional),
 *   i.e. the round trip a real position would pay to close.
 * Numeric strings (PostgreSQL `numeric`) are accepted wherever a number is.
 */
export interface LabelOptions {
  /** How far after execution to mark to market, ms. Used by the caller to pick `laterPrice`. */
  horizonMs: number;
  /** Fee rate charged on the closing trade when marking to market (0.001 = 0.1%). */
  exitFeeRate: number;
  /** Minimum net return (fraction) that counts as profitable. */
  minReturn: number;
  /** Whether `performance.realized_pnl` / `return_percent` already include fees. */
  performanceIsNetOfFees: boolean;
}

export const LABEL_DEFAULTS: Readonly<LabelOptions> = Object.freeze({
  horizonMs: 15 * 60_000,
  exitFeeRate: 0.001,
  minReturn: 0,
  performanceIsNetOfFees: true,
});

export type LabelSource = 'realized' | 'mark_to_market';

export interface LabelResult {
  label: 0 | 1;
  /** Net return as a fraction of the entry notional. */
  ret: number;
  source: LabelSource;
}

type Num = number | string | null | undefined;

/** The fields of an OrderExecutionEvent (or `execution_events` row) that labelling reads. */
export interface ExecutionLike {
  side: Side | string;
  execution_price: Num;
  execution_quantity: Num;
  execution_fees?: Num;
  performance?: { realized_pnl?: Num; return_percent?: Num } | null;
}

export interface MarkToMarketInput {
  side: Side | string;
  entryPrice: number;
  quantity: number;
  /** Fees already paid on entry, quote currency (negative for a rebate). */
  fees: number;
}

/**
 * Label from an execution: realised figures when `performance` carries them, otherwise mark to
 * market at `opts.laterPrice`. Returns null when neither is available or the inputs are unusable
 * (non-positive price or quantity, unknown side): such executions are counted, not trained on.
 */
export function labelFromExecution(
  exec: ExecutionLike,
  opts: Partial<LabelOptions> & { laterPrice?: Num } = {},
): LabelResult | null {
  return labelExecutionWith(resolveLabelOptions(opts), exec, opts.laterPrice);
}

/** Label options with LABEL_DEFAULTS for every option left out (or undefined). */
export function resolveLabelOptions(opts: Partial<LabelOptions> = {}): LabelOptions {
  return { ...LABEL_DEFAULTS, ...definedOnly(opts) };
}

/**
 * `labelFromExecution` with options already resolved: a dataset labels a million executions with one set of
 * options, and merging them per execution was a measurable part of building it.
 */
export function labelExecutionWith(o: Readonly<LabelOptions>, exec: ExecutionLike, laterPrice?: Num): LabelResult | null {
  const price = toNumber(exec.execution_price);
  const qty = toNumber(exec.execution_quantity);
  const fees = toNumber(exec.execution_fees ?? 0);
  const side = normalizeSide(exec.side);
  if (!(price > 0) || !(qty > 0) || side === null) return null;
  const notional = price * qty;
  const feeFraction = numberIsFinite(fees) ? fees / notional : 0;

  const pnl = toNumber(exec.performance?.realized_pnl);
  const pct = toNumber(exec.performance?.return_percent);
  if (numberIsFinite(pct) || numberIsFinite(pnl)) {
    let ret = numberIsFinite(pct) ? pct / 100 : pnl / notional;
    if (!o.performanceIsNetOfFees) ret -= feeFraction;
    return { label: ret > o.minReturn ? 1 : 0, ret, source: 'realized' };
  }

  const later = toNumber(laterPrice);
  if (!(later > 0)) return null;
  return markToMarketLabel({ side, entryPrice: price, quantity: qty, fees: numberIsFinite(fees) ? fees : 0 }, later, o);
}

/** Net outcome of holding `quantity` from `entryPrice` to `laterPrice` on `side`, after fees. */
export function markToMarketLabel(
  entry: MarkToMarketInput,
  laterPrice: number,
  opts: Partial<Pick<LabelOptions, 'exitFeeRate' | 'minReturn'>> = {},
): LabelResult {
  const exitFeeRate = opts.exitFeeRate ?? LABEL_DEFAULTS.exitFeeRate;
  const minReturn = opts.minReturn ?? LABEL_DEFAULTS.minReturn;
  const side = normalizeSide(entry.side);
  if (side === null) throw new RangeError(`side must be buy or sell, got ${String(entry.side)}`);
  for (const [name, v] of [
    ['entryPrice', entry.entryPrice],
    ['quantity', entry.quantity],
    ['laterPrice', laterPrice],
  ] as const) {
    if (!(numberIsFinite(v) && v > 0)) throw new RangeError(`${name} must be a positive number, got ${v}`);
  }
  // Negative fees are maker rebates and are allowed.
  if (!numberIsFinite(entry.fees)) throw new RangeError(`fees must be a finite number, got ${entry.fees}`);
  const direction = side === 'buy' ? 1 : -1;
  const gross = direction * (laterPrice - entry.entryPrice) * entry.quantity;
  const net = gross - entry.fees - exitFeeRate * laterPrice * entry.quantity;
  const ret = net / (entry.entryPrice * entry.quantity);
  return { label: ret > minReturn ? 1 : 0, ret, source: 'mark_to_market' };
}

/**
 * The first price at or after `fromMs + horizonMs` in a time-sorted series, or null when the series
 * does not reach that far (the label is not known yet). Binary search, O(log n).
 */
export function priceAtHorizon(
  times: ArrayLike<number>,
  prices: ArrayLike<number>,
  fromMs: number,
  horizonMs: number = LABEL_DEFAULTS.horizonMs,
): number | null {
  const target = fromMs + horizonMs;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length ? prices[lo] : null;
}

function normalizeSide(side: unknown): Side | null {
  if (typeof side !== 'string') return null;
  const s = side.toLowerCase();
  return s === 'buy' || s === 'sell' ? s : null;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return asNumber(v);
  return NAN;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] !== undefined) out[key] = o[key];
  return out;
}

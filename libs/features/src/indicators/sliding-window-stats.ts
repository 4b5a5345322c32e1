import { abs, NAN, sqrt } from '../internal/fast-math';

/**
 * A fixed-capacity window of numbers with O(1) worst-case `push` (evicting the oldest value once
 * full), O(1) `replaceLast`, and O(1) mean / variance of the values currently held.
 *
 * Numerics (why this is not just `sum` and `sumOfSquares`): plain running sums of x and x² lose
 * precision when the values are large next to their spread (BTC closes ~60,000 that move by a
 * few ticks) and drift over millions of updates. Here:
 * - every running sum is Neumaier-compensated, so adding and later removing the same value leaves
 *   (almost exactly) nothing behind: no drift, however long the stream;
 * - sums are kept of `x - K` for an anchor K close to the data. The ring is written lap by lap;
 *   values written in the current lap go to the `cur` group (anchor = first value of the lap), values
 *   from the previous lap, not yet overwritten, stay in the `prev` group with its own anchor. Each
 *   eviction removes a value from `prev`; at the end of a lap `prev` is empty and the groups rotate.
 *   Mean and variance are the exact two-group combination (Chan et al.), so cancellation error is
 *   relative to the spread of recent values, not to their magnitude.
 */
export class SlidingWindowStats {
  private readonly buf: Float64Array;
  private head = 0;
  private count = 0;
  private cur = new AnchoredSums();
  private prev = new AnchoredSums();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`SlidingWindowStats capacity must be a positive integer, got ${capacity}`);
    }
    this.buf = new Float64Array(capacity);
  }

  /** Number of values currently held (≤ capacity). */
  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Appends `x`; once full, the oldest value is evicted. */
  push(x: number): void {
    if (this.head === 0 && this.count > 0) {
      // A new lap starts: everything not yet overwritten belongs to the previous lap.
      const emptied = this.prev;
      this.prev = this.cur;
      emptied.reset();
      this.cur = emptied;
    }
    if (this.count === this.capacity) {
      this.prev.remove(this.buf[this.head]);
    } else {
      this.count += 1;
    }
    this.buf[this.head] = x;
    this.cur.add(x);
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
  }

  /** Replaces the newest value (e.g. an unconfirmed kline updated in place). */
  replaceLast(x: number): void {
    if (this.count === 0) throw new RangeError('replaceLast on an empty window');
    const idx = this.head === 0 ? this.capacity - 1 : this.head - 1;
    // The newest value was always written in the current lap, so it lives in `cur`.
    this.cur.remove(this.buf[idx]);
    this.buf[idx] = x;
    this.cur.add(x);
  }

  /** The value `back` positions before the newest (0 = newest); NaN when out of range. */
  at(back: number): number {
    if (back < 0 || back >= this.count) return NAN;
    let idx = this.head - 1 - back;
    if (idx < 0) idx += this.capacity;
    return this.buf[idx];
  }

  /** Mean of the held values; NaN when empty. */
  mean(): number {
    if (this.count === 0) return NAN;
    const a = this.prev;
    const b = this.cur;
    if (a.n === 0) return b.mean();
    if (b.n === 0) return a.mean();
    return a.mean() + groupDelta(a, b) * (b.n / this.count);
  }

  /**
   * Variance with `ddof` delta degrees of freedom (0 = population, 1 = sample);
   * NaN when there are not more than `ddof` values. Exactly 0 for a constant window.
   */
  variance(ddof: 0 | 1 = 0): number {
    const n = this.count;
    if (n <= ddof) return NAN;
    const a = this.prev;
    const b = this.cur;
    let m2 = a.m2() + b.m2();
    if (a.n > 0 && b.n > 0) {
      const d = groupDelta(a, b);
      m2 += ((d * d * a.n) / n) * b.n;
    }
    // Below this the value is indistinguishable from rounding noise of the anchored sums.
    const noise = 1e-13 * (a.offsetSquares() + b.offsetSquares());
    if (!(m2 > noise)) return 0;
    return m2 / (n - ddof);
  }

  /** Standard deviation (see `variance`). */
  std(ddof: 0 | 1 = 0): number {
    return sqrt(this.variance(ddof));
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.cur.reset();
    this.prev.reset();
  }
}

/** mean(b) - mean(a), computed without forming the absolute means (anchors subtract exactly). */
function groupDelta(a: AnchoredSums, b: AnchoredSums): number {
  return b.anchor - a.anchor + (b.sum1() / b.n - a.sum1() / a.n);
}

/** Compensated sums of (x - anchor) and (x - anchor)² for one group of values. */
class AnchoredSums {
  n = 0;
  anchor = 0;
  private s1 = 0;
  private c1 = 0;
  private s2 = 0;
  private c2 = 0;

  reset(): void {
    this.n = 0;
    this.anchor = 0;
    this.s1 = 0;
    this.c1 = 0;
    this.s2 = 0;
    this.c2 = 0;
  }

  add(x: number): void {
    if (this.n === 0) {
      this.reset();
      this.anchor = x;
    }
    this.n += 1;
    const d = x - this.anchor;
    this.acc1(d);
    this.acc2(d * d);
  }

  remove(x: number): void {
    this.n -= 1;
    if (this.n === 0) {
      this.reset();
      return;
    }
    const d = x - this.anchor;
    this.acc1(-d);
    this.acc2(-(d * d));
  }

  sum1(): number {
    return this.s1 + this.c1;
  }

  mean(): number {
    return this.anchor + this.sum1() / this.n;
  }

  /** Sum of squared deviations from the group mean (clamped at 0). */
  m2(): number {
    if (this.n === 0) return 0;
    const s1 = this.sum1();
    const m2 = this.s2 + this.c2 - (s1 * s1) / this.n;
    return m2 > 0 ? m2 : 0;
  }

  /** Σ(x - anchor)²: the magnitude the cancellation in `m2` works against. */
  offsetSquares(): number {
    return this.s2 + this.c2;
  }

  // Neumaier's compensated summation: `c` collects the exact rounding error of every addition.
  private acc1(x: number): void {
    const t = this.s1 + x;
    this.c1 += abs(this.s1) >= abs(x) ? this.s1 - t + x : x - t + this.s1;
    this.s1 = t;
  }

  private acc2(x: number): void {
    const t = this.s2 + x;
    this.c2 += abs(this.s2) >= abs(x) ? this.s2 - t + x : x - t + this.s2;
    this.s2 = t;
  }
}

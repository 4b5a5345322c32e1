import { priceAtHorizon, stableTimeOrder } from '@model-service/features';

/** One asset's prices of one part, in a growable pair of typed arrays. */
class Series {
  times = new Float64Array(1024);
  prices = new Float64Array(1024);
  n = 0;

  push(timeMs: number, price: number): void {
    if (this.n === this.times.length) {
      const times = new Float64Array(this.n * 2);
      times.set(this.times);
      this.times = times;
      const prices = new Float64Array(this.n * 2);
      prices.set(this.prices);
      this.prices = prices;
    }
    this.times[this.n] = timeMs;
    this.prices[this.n++] = price;
  }
}

/**
 * Observed prices per asset (time, price), for marking executions to market. Add in any order, `seal()`
 * once, then ask for the first price at or after a time plus a horizon. Prices may be added in parts (e.g.
 * one per time window read concurrently): equal times keep part order, then the order they were added in,
 * whatever order the parts' prices arrived in.
 */
export class PriceSeries {
  private readonly parts: Array<Map<string, Series>> = [];
  private readonly sealedSeries = new Map<string, { times: Float64Array; prices: Float64Array }>();
  private sealed = false;
  private lastPart = -1;
  private lastAsset = '';
  private lastSeries: Series | null = null;

  /** Records a price; anything that is not a positive finite number (or a numeric string of one) is ignored. */
  add(asset: string, timeMs: number, price: unknown, part = 0): void {
    if (this.sealed) throw new Error('PriceSeries is sealed');
    const p = typeof price === 'string' ? Number(price) : price;
    if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || !Number.isFinite(timeMs)) return;
    let s = this.lastSeries;
    if (s === null || asset !== this.lastAsset || part !== this.lastPart) {
      if (!Number.isInteger(part) || part < 0) throw new RangeError(`PriceSeries: bad part ${part}`);
      while (this.parts.length <= part) this.parts.push(new Map());
      s = this.parts[part].get(asset) ?? null;
      if (s === null) this.parts[part].set(asset, (s = new Series()));
      this.lastSeries = s;
      this.lastAsset = asset;
      this.lastPart = part;
    }
    s.push(timeMs, p);
  }

  /** Joins each asset's parts in part order and sorts them by time (stable) when they are not in order already. */
  seal(): void {
    this.sealed = true;
    const assets = new Set<string>();
    for (const part of this.parts) for (const asset of part.keys()) assets.add(asset);
    for (const asset of assets) {
      const pieces = this.parts.map((part) => part.get(asset)).filter((s): s is Series => s !== undefined);
      const n = pieces.reduce((sum, s) => sum + s.n, 0);
      let times = new Float64Array(n);
      let prices = new Float64Array(n);
      let at = 0;
      for (const s of pieces) {
        times.set(s.times.subarray(0, s.n), at);
        prices.set(s.prices.subarray(0, s.n), at);
        at += s.n;
      }
      let sorted = true;
      for (let i = 1; i < n && sorted; i++) if (times[i] < times[i - 1]) sorted = false;
      if (!sorted) {
        const order = stableTimeOrder(times, n);
        const t = new Float64Array(n);
        const p = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          t[i] = times[order[i]];
          p[i] = prices[order[i]];
        }
        times = t;
        prices = p;
      }
      this.sealedSeries.set(asset, { times, prices });
    }
    this.parts.length = 0;
    this.lastSeries = null;
  }

  /** The first price of `asset` at or after `fromMs + horizonMs`, or null when the data does not reach that far. */
  priceAfter(asset: string, fromMs: number, horizonMs: number): number | null {
    if (!this.sealed) throw new Error('PriceSeries.priceAfter before seal()');
    const s = this.sealedSeries.get(asset);
    return s ? priceAtHorizon(s.times, s.prices, fromMs, horizonMs) : null;
  }
}

import { priceAtHorizon, stableTimeOrder } from '@model-service/features';

interface Series {
  times: number[];
  prices: number[];
  sorted: boolean;
}

/**
 * Observed prices per asset (time, price), for marking executions to market. Add in any order, `seal()`
 * once, then ask for the first price at or after a time plus a horizon.
 */
export class PriceSeries {
  private readonly byAsset = new Map<string, Series>();
  private sealed = false;

  /** Records a price; anything that is not a positive finite number (or a numeric string of one) is ignored. */
  add(asset: string, timeMs: number, price: unknown): void {
    if (this.sealed) throw new Error('PriceSeries is sealed');
    const p = typeof price === 'string' ? Number(price) : price;
    if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || !Number.isFinite(timeMs)) return;
    let s = this.byAsset.get(asset);
    if (!s) {
      s = { times: [], prices: [], sorted: true };
      this.byAsset.set(asset, s);
    }
    const n = s.times.length;
    if (n > 0 && timeMs < s.times[n - 1]) s.sorted = false;
    s.times.push(timeMs);
    s.prices.push(p);
  }

  /** Sorts every series by time (stable); no more prices may be added. */
  seal(): void {
    this.sealed = true;
    for (const s of this.byAsset.values()) {
      if (s.sorted) continue;
      const order = stableTimeOrder(s.times, s.times.length);
      const times = new Array<number>(order.length);
      const prices = new Array<number>(order.length);
      for (let i = 0; i < order.length; i++) {
        times[i] = s.times[order[i]];
        prices[i] = s.prices[order[i]];
      }
      s.times = times;
      s.prices = prices;
      s.sorted = true;
    }
  }

  /** The first price of `asset` at or after `fromMs + horizonMs`, or null when the data does not reach that far. */
  priceAfter(asset: string, fromMs: number, horizonMs: number): number | null {
    if (!this.sealed) throw new Error('PriceSeries.priceAfter before seal()');
    const s = this.byAsset.get(asset);
    return s ? priceAtHorizon(s.times, s.prices, fromMs, horizonMs) : null;
  }
}

import { seededRandom } from '@model-service/util';

/**
 * A small, fast, seedable pseudo-random generator (mulberry32) with normal draws: the same seed gives
 * the same sequence on every machine, so a synthetic market is reproducible.
 */
export class SeededRandom {
  private readonly uniform: () => number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.uniform = seededRandom(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}

/** A seed for one asset derived from the market seed and the symbol (FNV-1a), so assets are independent. */
export function assetSeed(seed: number, symbol: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < symbol.length; i++) {
    h ^= symbol.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

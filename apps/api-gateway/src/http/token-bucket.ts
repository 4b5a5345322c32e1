import { Clock, systemClock } from '@model-service/util';

export interface TokenBucketOptions {
  /** Tokens added per minute; 0 disables limiting. */
  ratePerMinute: number;
  /** Bucket size: requests allowed at once (a full bucket at the start). */
  burst: number;
  clock?: Clock;
  /** Buckets kept; the least recently used ones are dropped beyond this (default 10,000). */
  maxKeys?: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: milliseconds until one token is available again; 0 when allowed. */
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** One token bucket per key (an API key id): `burst` capacity, refilled continuously at `ratePerMinute`. */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: Clock;
  private readonly perMs: number;
  private readonly maxKeys: number;

  constructor(private readonly opts: TokenBucketOptions) {
    if (!Number.isFinite(opts.ratePerMinute) || opts.ratePerMinute < 0) throw new RangeError('ratePerMinute must be >= 0');
    if (!Number.isInteger(opts.burst) || opts.burst < 1) throw new RangeError('burst must be an integer >= 1');
    this.clock = opts.clock ?? systemClock;
    this.perMs = opts.ratePerMinute / 60_000;
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  get enabled(): boolean {
    return this.opts.ratePerMinute > 0;
  }

  get limit(): number {
    return this.opts.burst;
  }

  take(key: string): TakeResult {
    if (!this.enabled) return { allowed: true, remaining: this.opts.burst, retryAfterMs: 0 };
    const now = this.clock.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterMs: 0 };
    }
    return { allowed: false, remaining: 0, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.perMs) };
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key); // re-inserted below: Map order is the LRU order
      const elapsed = Math.max(0, now - bucket.updatedAt);
      bucket.tokens = Math.min(this.opts.burst, bucket.tokens + elapsed * this.perMs);
      bucket.updatedAt = now;
    } else {
      bucket = { tokens: this.opts.burst, updatedAt: now };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    this.buckets.set(key, bucket);
    return bucket;
  }
}

import { Clock, systemClock } from '../time/clock';

/** Tokens below 1 by less than this count as a whole token (float dust from the refill arithmetic). */
const EPSILON = 1e-9;

/**
 * Token bucket: holds at most `capacity` tokens (the burst), refills `ratePerMinute` tokens per minute
 * continuously, one token per event. Starts full.
 *
 * The rule for the edges, the same for every user:
 * - `ratePerMinute` must be a finite number > 0, else RangeError. A bucket never means "no limit":
 *   a setting where 0 switches a limit off (as the api-gateway's throttler limits do) is decided by
 *   the caller, which then creates no bucket.
 * - `burst` must be >= 0; the capacity is max(1, burst), so burst 0 still lets one event through per
 *   refilled token (a bucket that could never grant anything would be a silent "off").
 */
export class TokenBucket {
  readonly capacity: number;
  private readonly perMs: number;
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerMinute: number,
    burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ratePerMinute > 0) || !Number.isFinite(ratePerMinute)) throw new RangeError(`ratePerMinute must be > 0, got ${ratePerMinute}`);
    if (!(burst >= 0)) throw new RangeError(`burst must be >= 0, got ${burst}`);
    this.capacity = Math.max(1, burst);
    this.perMs = ratePerMinute / 60_000;
    this.tokens = this.capacity;
    this.last = clock.now();
  }

  /** Tokens now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  canTake(n = 1): boolean {
    return this.available() + EPSILON >= n;
  }

  /** Takes n tokens if there are that many; false (and nothing taken) otherwise. */
  tryTake(n = 1): boolean {
    if (!this.canTake(n)) return false;
    this.tokens = Math.max(0, this.tokens - n);
    return true;
  }

  /** Milliseconds until n tokens are there (0 if they are). */
  msUntil(n = 1): number {
    const missing = n - this.available();
    return missing <= EPSILON ? 0 : Math.ceil(missing / this.perMs);
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
    }
  }
}

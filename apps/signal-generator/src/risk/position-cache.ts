import { Clock, systemClock } from '@model-service/util';

export interface PositionCacheOptions {
  enabled: boolean;
  ttlMs: number;
  /** Most keys kept; the least recently used goes first. */
  maxSize: number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * TTL + LRU cache of position-manager answers, per asset. A position event invalidates the asset; an
 * answer fetched while that happened is not stored (`begin` before the request, `set` with its ticket),
 * so a stale answer can never outlive the event that made it stale.
 */
export class PositionCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Invalidation count per key (bounded by the number of assets). */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly opts: PositionCacheOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  get enabled(): boolean {
    return this.opts.enabled;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, unless expired (or the cache is off). */
  get(key: string): T | undefined {
    if (!this.opts.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock.now()) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  /** A ticket to pass to `set` for a value fetched from now on. */
  begin(key: string): number {
    return this.generations.get(key) ?? 0;
  }

  /** Stores a value fetched with `ticket`; refused (false) when the key was invalidated since. */
  set(key: string, value: T, ticket: number): boolean {
    if (!this.opts.enabled || this.begin(key) !== ticket) return false;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock.now() + this.opts.ttlMs });
    while (this.entries.size > this.opts.maxSize) this.entries.delete(this.entries.keys().next().value as string);
    return true;
  }

  /** Drops the key; answers already under way for it will not be stored. */
  invalidate(key: string): void {
    this.entries.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.invalidate(key);
  }
}

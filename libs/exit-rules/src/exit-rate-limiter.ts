import { Clock, systemClock } from '@model-service/util';

export interface ExitRateLimiterOptions {
  /** At most one exit signal per position per this many ms. 0 = no cooldown. */
  cooldownMs: number;
  /** At most this many exit signals per asset within `perAssetWindowMs`. 0 = no per-asset cap. */
  perAssetMax: number;
  /** Sliding window of the per-asset cap, in ms. */
  perAssetWindowMs: number;
  /** Hard bound on positions remembered; the oldest are forgotten first. */
  maxTrackedPositions: number;
}

export const DEFAULT_EXIT_RATE_LIMITER_OPTIONS: Readonly<ExitRateLimiterOptions> = Object.freeze({
  cooldownMs: 60_000,
  perAssetMax: 10,
  perAssetWindowMs: 60_000,
  maxTrackedPositions: 100_000,
});

export type ExitSuppressReason = 'position_cooldown' | 'asset_cap';

export type ExitRateCheck =
  | { allowed: true }
  | { allowed: false; reason: ExitSuppressReason; /** ms until this check would pass */ retryAfterMs: number };

/**
 * Pure in-memory limiter for exit signals (no timers, no I/O).
 *
 * Boundaries:
 * - cooldown: a signal recorded at t blocks the same position while now − t < cooldownMs;
 *   exactly `cooldownMs` later is allowed again.
 * - per-asset cap: signals recorded at t with now − t < perAssetWindowMs count (the window is
 *   (now − W, now]); with `perAssetMax` of them the next is refused; one recorded exactly W ago
 *   no longer counts.
 * When both apply, `position_cooldown` is reported.
 *
 * Memory: a position is forgotten once its cooldown has passed (and at most
 * `maxTrackedPositions` are kept); per asset only the newest `perAssetMax` times inside the
 * window are kept, and an asset with none is dropped.
 *
 * After a restart, seed it from the persisted state: `record(key, asset, state.last_exit_signal_at)`.
 */
export class ExitRateLimiter {
  private readonly opts: ExitRateLimiterOptions;
  /** position key → time of its last signal; Map order = order of recording. */
  private readonly lastByPosition = new Map<string, number>();
  /** asset → ascending times of its newest signals inside the window. */
  private readonly recentByAsset = new Map<string, number[]>();

  constructor(opts: Partial<ExitRateLimiterOptions> = {}, private readonly clock: Clock = systemClock) {
    this.opts = { ...DEFAULT_EXIT_RATE_LIMITER_OPTIONS, ...opts };
    const { cooldownMs, perAssetMax, perAssetWindowMs, maxTrackedPositions } = this.opts;
    const bad = (name: string, v: number, ok: boolean): void => {
      if (!ok) throw new RangeError(`ExitRateLimiter: ${name} is invalid (${v})`);
    };
    bad('cooldownMs', cooldownMs, Number.isFinite(cooldownMs) && cooldownMs >= 0);
    bad('perAssetMax', perAssetMax, Number.isInteger(perAssetMax) && perAssetMax >= 0);
    bad('perAssetWindowMs', perAssetWindowMs, Number.isFinite(perAssetWindowMs) && perAssetWindowMs > 0);
    bad('maxTrackedPositions', maxTrackedPositions, Number.isInteger(maxTrackedPositions) && maxTrackedPositions > 0);
  }

  /** Whether an exit signal for this position may be emitted now. Does not record anything. */
  check(positionKey: string, asset: string, nowMs: number = this.clock.now()): ExitRateCheck {
    const last = this.lastByPosition.get(positionKey);
    if (last !== undefined && nowMs - last < this.opts.cooldownMs) {
      return { allowed: false, reason: 'position_cooldown', retryAfterMs: last + this.opts.cooldownMs - nowMs };
    }
    const { perAssetMax, perAssetWindowMs } = this.opts;
    if (perAssetMax > 0) {
      const inWindow = (this.recentByAsset.get(asset) ?? []).filter((t) => nowMs - t < perAssetWindowMs);
      if (inWindow.length >= perAssetMax) {
        const freeing = inWindow[inWindow.length - perAssetMax];
        return { allowed: false, reason: 'asset_cap', retryAfterMs: freeing + perAssetWindowMs - nowMs };
      }
    }
    return { allowed: true };
  }

  /** Records an emitted exit signal (and forgets what no longer limits anything). */
  record(positionKey: string, asset: string, nowMs: number = this.clock.now()): void {
    const { cooldownMs, perAssetMax, maxTrackedPositions } = this.opts;
    if (cooldownMs > 0) {
      const prev = this.lastByPosition.get(positionKey);
      this.lastByPosition.delete(positionKey);
      this.lastByPosition.set(positionKey, prev === undefined ? nowMs : Math.max(prev, nowMs));
    }
    if (perAssetMax > 0) {
      const times = this.recentByAsset.get(asset) ?? [];
      let i = times.length;
      while (i > 0 && times[i - 1] > nowMs) i--;
      times.splice(i, 0, nowMs);
      if (times.length > perAssetMax) times.splice(0, times.length - perAssetMax);
      this.recentByAsset.set(asset, times);
    }
    this.evict(nowMs);
    while (this.lastByPosition.size > maxTrackedPositions) {
      const oldest = this.lastByPosition.keys().next().value as string;
      this.lastByPosition.delete(oldest);
    }
  }

  /** `check`, and `record` when allowed: the one call to make right before emitting. */
  tryAcquire(positionKey: string, asset: string, nowMs: number = this.clock.now()): ExitRateCheck {
    const result = this.check(positionKey, asset, nowMs);
    if (result.allowed) this.record(positionKey, asset, nowMs);
    return result;
  }

  /** Forgets a position's cooldown, e.g. when it closed and a new one opens under its key. */
  forget(positionKey: string): void {
    this.lastByPosition.delete(positionKey);
  }

  /** How much is held, for tests and gauges. */
  get trackedSize(): { positions: number; assets: number; assetEntries: number } {
    let assetEntries = 0;
    for (const times of this.recentByAsset.values()) assetEntries += times.length;
    return { positions: this.lastByPosition.size, assets: this.recentByAsset.size, assetEntries };
  }

  private evict(nowMs: number): void {
    const { cooldownMs, perAssetWindowMs } = this.opts;
    for (const [key, t] of this.lastByPosition) {
      if (nowMs - t < cooldownMs) break;
      this.lastByPosition.delete(key);
    }
    for (const [asset, times] of this.recentByAsset) {
      let expired = 0;
      while (expired < times.length && nowMs - times[expired] >= perAssetWindowMs) expired++;
      if (expired === times.length) this.recentByAsset.delete(asset);
      else if (expired > 0) times.splice(0, expired);
    }
  }
}

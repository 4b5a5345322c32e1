import { FakeClock } from '@model-service/util/testing';

import { ExitRateLimiter, ExitRateLimiterOptions } from './exit-rate-limiter';

const T = 1_000_000;

describe('ExitRateLimiter', () => {
  describe('per-position cooldown (60 s: blocked while now − last < 60 000)', () => {
    const limiter = new ExitRateLimiter({ cooldownMs: 60_000, perAssetMax: 0 });
    limiter.record('BTCUSDT:a', 'BTCUSDT', T);

    it.each([
      ['same millisecond', 0, false, 60_000],
      ['1 ms before the cooldown ends', 59_999, false, 1],
      ['exactly when it ends', 60_000, true, null],
      ['after it ends', 60_001, true, null],
    ])('%s → allowed: %s', (_name, after, allowed, retryAfterMs) => {
      const result = limiter.check('BTCUSDT:a', 'BTCUSDT', T + after);
      expect(result.allowed).toBe(allowed);
      if (!result.allowed) expect(result).toEqual({ allowed: false, reason: 'position_cooldown', retryAfterMs });
    });

    it('does not block another position of the same asset', () => {
      expect(limiter.check('BTCUSDT:b', 'BTCUSDT', T + 1).allowed).toBe(true);
    });
  });

  describe('per-asset cap (3 per 10 s window: a signal counts while now − t < 10 000)', () => {
    const make = () => {
      const limiter = new ExitRateLimiter({ cooldownMs: 60_000, perAssetMax: 3, perAssetWindowMs: 10_000 });
      limiter.record('ETHUSDT:1', 'ETHUSDT', T);
      limiter.record('ETHUSDT:2', 'ETHUSDT', T + 1000);
      limiter.record('ETHUSDT:3', 'ETHUSDT', T + 2000);
      return limiter;
    };

    it.each([
      ['right after the third', 2000, false, 8000],
      ['1 ms before the first leaves the window', 9_999, false, 1],
      ['exactly when the first leaves the window', 10_000, true, null],
    ])('a fourth position %s → allowed: %s', (_name, after, allowed, retryAfterMs) => {
      const result = make().check('ETHUSDT:4', 'ETHUSDT', T + after);
      expect(result.allowed).toBe(allowed);
      if (!result.allowed) expect(result).toEqual({ allowed: false, reason: 'asset_cap', retryAfterMs });
    });

    it('two below the cap is allowed', () => {
      const limiter = new ExitRateLimiter({ perAssetMax: 3, perAssetWindowMs: 10_000 });
      limiter.record('ETHUSDT:1', 'ETHUSDT', T);
      limiter.record('ETHUSDT:2', 'ETHUSDT', T);
      expect(limiter.check('ETHUSDT:3', 'ETHUSDT', T).allowed).toBe(true);
    });

    it('does not limit other assets', () => {
      expect(make().check('SOLUSDT:1', 'SOLUSDT', T + 2000).allowed).toBe(true);
    });

    it('reports the cooldown when a position is blocked by both', () => {
      expect(make().check('ETHUSDT:3', 'ETHUSDT', T + 2000)).toMatchObject({ allowed: false, reason: 'position_cooldown' });
    });
  });

  it('with cooldown 0 and cap 0 never limits', () => {
    const limiter = new ExitRateLimiter({ cooldownMs: 0, perAssetMax: 0 });
    for (let i = 0; i < 100; i++) limiter.record('k', 'BTCUSDT', T);
    expect(limiter.check('k', 'BTCUSDT', T).allowed).toBe(true);
    expect(limiter.trackedSize).toEqual({ positions: 0, assets: 0, assetEntries: 0 });
  });

  it('tryAcquire records only what it allows: one signal per cooldown from a burst', () => {
    const limiter = new ExitRateLimiter({ cooldownMs: 60_000, perAssetMax: 10, perAssetWindowMs: 60_000 });
    const allowed = Array.from({ length: 100 }, (_, i) => limiter.tryAcquire('BTCUSDT:a', 'BTCUSDT', T + i * 100));
    expect(allowed.filter((r) => r.allowed)).toHaveLength(1);
    expect(limiter.trackedSize.assetEntries).toBe(1);
    expect(limiter.tryAcquire('BTCUSDT:a', 'BTCUSDT', T + 60_000).allowed).toBe(true);
  });

  it('forget lets a re-opened position signal at once', () => {
    const limiter = new ExitRateLimiter({ perAssetMax: 0 });
    limiter.record('k', 'BTCUSDT', T);
    limiter.forget('k');
    expect(limiter.check('k', 'BTCUSDT', T + 1).allowed).toBe(true);
  });

  it('uses its clock when no time is given', () => {
    const clock = new FakeClock(T);
    const limiter = new ExitRateLimiter({ cooldownMs: 60_000, perAssetMax: 0 }, clock);
    limiter.record('k', 'BTCUSDT');
    clock.advance(59_999);
    expect(limiter.check('k', 'BTCUSDT').allowed).toBe(false);
    clock.advance(1);
    expect(limiter.check('k', 'BTCUSDT').allowed).toBe(true);
  });

  describe('bounded memory', () => {
    it('forgets positions whose cooldown has passed and keeps at most perAssetMax times per asset', () => {
      const limiter = new ExitRateLimiter({ cooldownMs: 60_000, perAssetMax: 5, perAssetWindowMs: 30_000 });
      // 50,000 signals over ~14 h, 20 assets, a new position each time
      for (let i = 0; i < 50_000; i++) limiter.record(`pos-${i}`, `A${i % 20}`, T + i * 1000);
      const size = limiter.trackedSize;
      expect(size.positions).toBeLessThanOrEqual(60);
      expect(size.assets).toBe(20);
      expect(size.assetEntries).toBeLessThanOrEqual(100);
      limiter.record('late', 'B', T + 50_000 * 1000 + 3_600_000);
      expect(limiter.trackedSize).toEqual({ positions: 1, assets: 1, assetEntries: 1 });
    });

    it('keeps the cap exact while trimming to the newest perAssetMax times', () => {
      const limiter = new ExitRateLimiter({ cooldownMs: 0, perAssetMax: 2, perAssetWindowMs: 10_000 });
      [0, 1000, 2000, 3000].forEach((t, i) => limiter.record(`p${i}`, 'X', T + t));
      // newest two at 2000 and 3000: blocked until 2000 leaves the window at 12 000
      expect(limiter.check('p9', 'X', T + 11_999)).toEqual({ allowed: false, reason: 'asset_cap', retryAfterMs: 1 });
      expect(limiter.check('p9', 'X', T + 12_000).allowed).toBe(true);
    });

    it('never holds more than maxTrackedPositions positions', () => {
      const limiter = new ExitRateLimiter({ cooldownMs: 3_600_000, perAssetMax: 0, maxTrackedPositions: 100 });
      for (let i = 0; i < 1000; i++) limiter.record(`p${i}`, 'X', T + i);
      expect(limiter.trackedSize.positions).toBe(100);
      expect(limiter.check('p999', 'X', T + 1000).allowed).toBe(false);
    });
  });

  it.each([
    [{ cooldownMs: -1 }],
    [{ cooldownMs: NaN }],
    [{ perAssetMax: 1.5 }],
    [{ perAssetMax: -1 }],
    [{ perAssetWindowMs: 0 }],
    [{ maxTrackedPositions: 0 }],
  ] as Partial<ExitRateLimiterOptions>[][])('refuses options %j', (opts) => {
    expect(() => new ExitRateLimiter(opts)).toThrow(RangeError);
  });
});

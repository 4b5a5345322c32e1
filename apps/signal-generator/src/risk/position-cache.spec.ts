import { FakeClock } from '@model-service/util/testing';

import { PositionCache } from './position-cache';

describe('PositionCache', () => {
  const make = (opts: Partial<{ enabled: boolean; ttlMs: number; maxSize: number }> = {}) => {
    const clock = new FakeClock(1_000);
    return { cache: new PositionCache<string>({ enabled: true, ttlMs: 100, maxSize: 3, ...opts }, clock), clock };
  };

  it.each([
    [99, 'v'],
    [100, undefined],
    [101, undefined],
  ])('a value read %i ms after it was stored (TTL 100 ms) is %s', (age, expected) => {
    const { cache, clock } = make();
    cache.set('BTCUSDT', 'v', cache.begin('BTCUSDT'));
    clock.advance(age);
    expect(cache.get('BTCUSDT')).toBe(expected);
  });

  it('keeps at most maxSize keys, dropping the least recently used', () => {
    const { cache } = make({ maxSize: 3 });
    for (const k of ['a', 'b', 'c']) cache.set(k, k, cache.begin(k));
    expect(cache.get('a')).toBe('a'); // a is now the most recently used
    cache.set('d', 'd', cache.begin('d'));
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual(['a', undefined, 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('refuses a value whose key was invalidated after its ticket was taken', () => {
    const { cache } = make();
    const ticket = cache.begin('BTCUSDT');
    cache.invalidate('BTCUSDT');
    expect(cache.set('BTCUSDT', 'stale', ticket)).toBe(false);
    expect(cache.get('BTCUSDT')).toBeUndefined();
    expect(cache.set('BTCUSDT', 'fresh', cache.begin('BTCUSDT'))).toBe(true);
    expect(cache.get('BTCUSDT')).toBe('fresh');
    cache.invalidate('ETHUSDT'); // other keys are untouched
    expect(cache.get('BTCUSDT')).toBe('fresh');
  });

  it('stores nothing when disabled', () => {
    const { cache } = make({ enabled: false });
    expect(cache.set('a', 'a', cache.begin('a'))).toBe(false);
    expect(cache.get('a')).toBeUndefined();
  });
});

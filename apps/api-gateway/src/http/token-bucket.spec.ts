import { FakeClock } from '@model-service/util/testing';

import { TokenBucketLimiter } from './token-bucket';

describe('TokenBucketLimiter', () => {
  const make = (ratePerMinute: number, burst: number, maxKeys?: number) => {
    const clock = new FakeClock(0);
    return { clock, limiter: new TokenBucketLimiter({ ratePerMinute, burst, clock, maxKeys }) };
  };
  const takeN = (l: TokenBucketLimiter, key: string, n: number) => Array.from({ length: n }, () => l.take(key).allowed);

  it.each([
    [60, 1, [true, false]],
    [60, 3, [true, true, true, false]],
    [600, 10, [...Array<boolean>(10).fill(true), false]],
  ])('rate %i/min, burst %i: a full bucket allows exactly the burst', (rate, burst, expected) => {
    const { limiter } = make(rate, burst);
    expect(takeN(limiter, 'k', expected.length)).toEqual(expected);
  });

  it.each([
    // 60/min = one token per 1000 ms
    [999, false],
    [1000, true],
    [1001, true],
  ])('after emptying, %i ms later a request is allowed: %s', (ms, allowed) => {
    const { clock, limiter } = make(60, 2);
    takeN(limiter, 'k', 2);
    clock.advance(ms);
    expect(limiter.take('k').allowed).toBe(allowed);
  });

  it('says how long to wait and how many are left', () => {
    const { clock, limiter } = make(60, 2);
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(limiter.take('k')).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(limiter.take('k')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    clock.advance(400);
    expect(limiter.take('k')).toEqual({ allowed: false, remaining: 0, retryAfterMs: 600 });
  });

  it('refills no higher than the burst however long it waits', () => {
    const { clock, limiter } = make(60, 3);
    takeN(limiter, 'k', 3);
    clock.advance(3_600_000);
    expect(takeN(limiter, 'k', 4)).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per key', () => {
    const { limiter } = make(60, 1);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('forgets the least recently used key beyond maxKeys (it starts full again)', () => {
    const { limiter } = make(60, 1, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('a'); // a is now the most recently used
    limiter.take('c'); // evicts b, the least recently used
    expect(limiter.take('a').allowed).toBe(false); // a was kept, still empty
    expect(limiter.take('b').allowed).toBe(true); // b was forgotten: a full bucket again
  });

  it('rate 0 disables limiting', () => {
    const { limiter } = make(0, 1);
    expect(limiter.enabled).toBe(false);
    expect(takeN(limiter, 'k', 100).every(Boolean)).toBe(true);
  });

  it.each([
    [{ ratePerMinute: -1, burst: 1 }],
    [{ ratePerMinute: 60, burst: 0 }],
    [{ ratePerMinute: 60, burst: 1.5 }],
  ])('refuses %j', (opts) => {
    expect(() => new TokenBucketLimiter(opts)).toThrow(RangeError);
  });
});

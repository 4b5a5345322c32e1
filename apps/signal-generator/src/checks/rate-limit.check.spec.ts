import { FakeClock } from '@model-service/util/testing';

import { guardContext, testStrategy } from './check-fixtures.testing';
import { RateLimitCheck } from './rate-limit.check';

const ctx = (id: string, rate = 60, burst = 10) =>
  guardContext({ strategy: testStrategy({ id, risk: { rate_limit_per_minute: rate, burst_allowance: burst } as never }) });

describe('RateLimitCheck', () => {
  it('limits each strategy by its own bucket, and all of them by the global one', () => {
    const clock = new FakeClock();
    const guard = new RateLimitCheck({ ratePerMinute: 60, burst: 5 }, clock);
    const results = ['a', 'a', 'a', 'b', 'b', 'b'].map((id) => guard.check(ctx(id, 60, 2)));
    // a: 2 from its burst, third refused by its own bucket; b: 2 more (global 4 of 5 used), third refused by b's bucket.
    expect(results.map((r) => r.pass)).toEqual([true, true, false, true, true, false]);
    expect(results[2]).toMatchObject({ reason: 'rate_limited', detail: expect.stringContaining('strategy a') });
    expect(guard.check(ctx('c', 60, 2)).pass).toBe(true);
    expect(guard.check(ctx('d', 60, 2))).toMatchObject({ pass: false, reason: 'rate_limited', detail: expect.stringContaining('global limit of 60/min') });
  });

  it('a signal refused by the global bucket takes nothing from its strategy bucket', () => {
    const clock = new FakeClock();
    const guard = new RateLimitCheck({ ratePerMinute: 60, burst: 1 }, clock);
    expect(guard.check(ctx('a', 60, 1)).pass).toBe(true);
    expect(guard.check(ctx('b', 60, 1)).pass).toBe(false); // global empty
    clock.advance(1_000); // one global token back
    expect(guard.check(ctx('b', 60, 1)).pass).toBe(true); // b still had its own token
  });

  it('refills per strategy at its own rate', () => {
    const clock = new FakeClock();
    const guard = new RateLimitCheck({ ratePerMinute: 6_000, burst: 100 }, clock);
    expect(guard.check(ctx('slow', 6, 1)).pass).toBe(true);
    clock.advance(9_999);
    expect(guard.check(ctx('slow', 6, 1)).pass).toBe(false);
    clock.advance(1);
    expect(guard.check(ctx('slow', 6, 1)).pass).toBe(true);
  });
});

import { FakeClock } from '../testing';

import { TokenBucket } from './token-bucket';

/** Takes tokens one by one until refused; returns how many were granted. */
function drain(bucket: TokenBucket): number {
  let n = 0;
  while (bucket.tryTake()) n++;
  return n;
}

describe('TokenBucket', () => {
  it.each([
    // [rate/min, burst, granted back to back from full]
    [60, 10, 10],
    [60, 1, 1],
    [60, 0, 1], // capacity never below one token
    [6000, 100, 100],
  ])('rate %d/min with burst %d grants %d back to back, then refuses', (rate, burst, expected) => {
    const bucket = new TokenBucket(rate, burst, new FakeClock());
    expect(drain(bucket)).toBe(expected);
    expect(bucket.tryTake()).toBe(false);
  });

  it.each([
    // [rate/min, ms after draining, tokens granted] - 60/min = one token per 1000 ms
    [60, 999, 0],
    [60, 1_000, 1],
    [60, 1_001, 1],
    [60, 2_999, 2],
    [60, 3_000, 3],
    [60, 60_000, 10], // refills only up to the burst
    [30, 1_999, 0],
    [30, 2_000, 1],
    [7, 8_571, 0], // 60000 / 7 = 8571.43 ms per token
    [7, 8_572, 1],
  ])('rate %d/min, %d ms after draining: %d token(s)', (rate, ms, expected) => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(rate, 10, clock);
    drain(bucket);
    clock.advance(ms);
    expect(drain(bucket)).toBe(expected);
  });

  it('holds exactly the limit over a minute at a steady rate: burst + rate', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(60, 10, clock);
    let granted = 0;
    // One attempt every 100 ms for 60 s (601 attempts, t = 0 .. 60000).
    for (let t = 0; t <= 60_000; t += 100) {
      if (bucket.tryTake()) granted++;
      clock.advance(100);
    }
    expect(granted).toBe(10 + 60);
  });

  it('says how long until the next token', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(60, 1, clock);
    expect(bucket.msUntil()).toBe(0);
    bucket.tryTake();
    expect(bucket.msUntil()).toBe(1_000);
    clock.advance(400);
    expect(bucket.msUntil()).toBe(600);
  });

  it.each([[0], [-1], [Number.NaN]])('rejects a rate of %d', (rate) => {
    expect(() => new TokenBucket(rate, 10)).toThrow(RangeError);
  });
});

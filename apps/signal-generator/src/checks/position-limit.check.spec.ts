import { positionSizeNorm } from '../account/account-state';
import { guardContext, testAccount, testStrategy } from './check-fixtures.testing';
import { PositionLimitCheck } from './position-limit.check';

const guard = new PositionLimitCheck();

/** A position worth `value` USDT next to `usdt` available, ratio 0.8, min_amount 10. */
function check(side: 'buy' | 'sell', amount: number, value: number, usdt: number | null) {
  const account = testAccount({ balances: { quoteAvailable: usdt }, position: { size: value / 50_000, value, sizeNorm: positionSizeNorm(value, usdt) } });
  return guard.check(guardContext({ side, amount, account, strategy: testStrategy() }));
}

describe('PositionLimitCheck (ratio 0.8, min_amount 10)', () => {
  it.each<[string, number, number, number | null, number]>([
    ['flat, plenty of room', 100, 0, 10_000, 100],
    ['room of exactly the amount: 0.8 x 1000 - 700 = 100', 100, 700, 300, 100],
    ['shrunk to the room left: 0.8 x 1000 - 750 = 50', 100, 750, 250, 50],
    ['room exactly at the minimum: 0.8 x 1000 - 790 = 10', 100, 790, 210, 10],
    ['no quote balance known: not checked', 100, 5_000, null, 100],
  ])('buy passes: %s', (_name, amount, value, usdt, expected) => {
    const out = check('buy', amount, value, usdt);
    expect(out.pass).toBe(true);
    expect(out.pass && out.amount).toBeCloseTo(expected, 6);
  });

  it.each<[string, number, number]>([
    ['room below the minimum: 0.8 x 1000 - 795 = 5', 795, 205],
    ['position exactly at the ratio', 800, 200],
    ['position above the ratio', 900, 100],
    ['everything in the position', 1_000, 0],
  ])('buy skipped: %s', (_name, value, usdt) => {
    expect(check('buy', 100, value, usdt)).toMatchObject({ pass: false, reason: 'position_limit' });
  });

  it('never limits a sell', () => {
    expect(check('sell', 100, 1_000, 0)).toEqual({ pass: true, amount: 100 });
  });

  it.each([
    [0, 100, 0],
    [50, 50, 0.5],
    [100, 0, 1],
    [0, 0, 0],
  ])('size norm of value %d next to %d available is %d', (value, usdt, norm) => {
    expect(positionSizeNorm(value, usdt)).toBeCloseTo(norm, 10);
  });
});

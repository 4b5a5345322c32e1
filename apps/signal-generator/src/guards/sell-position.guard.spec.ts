import { testAccount, testStrategy } from './guard-fixtures.testing';
import { SellPositionGuard } from './sell-position.guard';

describe('SellPositionGuard', () => {
  const guard = new SellPositionGuard();
  const ctx = (side: 'buy' | 'sell', position: { size: number; own: boolean }, shortSelling = false) => ({
    strategy: testStrategy({ short_selling: shortSelling }),
    asset: 'BTCUSDT',
    side,
    amount: 50,
    price: 50_000,
    account: testAccount({ position: { ...position, value: position.size * 50_000, sizeNorm: 0.1 } }),
  });

  it.each([
    // side, position size, own, short selling, passes
    ['sell', 0.01, true, false, true], // its own position
    ['sell', 0, true, false, false], // flat
    ['sell', 0.01, false, false, false], // only the shared (strategy-less) position
    ['sell', 0, true, true, true], // short selling configured
    ['buy', 0, true, false, true],
  ] as const)('%s with position %s (own %s), short_selling %s -> pass %s', (side, size, own, shortSelling, pass) => {
    const outcome = guard.check(ctx(side, { size, own }, shortSelling));
    expect(outcome.pass).toBe(pass);
    if (!outcome.pass) expect(outcome.reason).toBe('no_position_to_sell');
    else expect(outcome.amount).toBe(50);
  });
});

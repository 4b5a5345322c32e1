import { guardContext, testAccount } from './check-fixtures.testing';
import { OpenOrderCheck } from './open-order.check';

type Side = 'buy' | 'sell';

describe('OpenOrderCheck', () => {
  // [mode, signal side, open buy orders, open sell orders, passes]
  it.each<['any' | 'opposite' | 'off', Side, number, number, boolean]>([
    ['any', 'buy', 0, 0, true],
    ['any', 'buy', 1, 0, false],
    ['any', 'buy', 0, 1, false],
    ['any', 'sell', 1, 0, false],
    ['any', 'sell', 2, 3, false],
    ['opposite', 'buy', 0, 0, true],
    ['opposite', 'buy', 3, 0, true],
    ['opposite', 'buy', 0, 1, false],
    ['opposite', 'sell', 0, 2, true],
    ['opposite', 'sell', 1, 0, false],
    ['off', 'buy', 5, 5, true],
    ['off', 'sell', 5, 5, true],
  ])('%s mode: %s with %d open buy and %d open sell orders -> passes %s', (mode, side, buy, sell, passes) => {
    const guard = new OpenOrderCheck({ enabled: mode !== 'off', oppositeOnly: mode === 'opposite' });
    const out = guard.check(guardContext({ side, account: testAccount({ openOrders: { count: buy + sell, buy, sell } }) }));
    if (passes) expect(out).toEqual({ pass: true, amount: 100 });
    else expect(out).toMatchObject({ pass: false, reason: 'open_order', detail: expect.stringContaining('momentum_v1 on BTCUSDT') });
  });

  it('names the blocking side in opposite-side mode', () => {
    const guard = new OpenOrderCheck({ enabled: true, oppositeOnly: true });
    const out = guard.check(guardContext({ side: 'buy', account: testAccount({ openOrders: { count: 1, buy: 0, sell: 1 } }) }));
    expect(out).toMatchObject({ pass: false, detail: expect.stringContaining('1 open sell order(s)') });
  });
});

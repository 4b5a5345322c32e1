import { BalanceCheck } from './balance.check';
import { guardContext, testAccount, testStrategy } from './check-fixtures.testing';

type Side = 'buy' | 'sell';
const guard = new BalanceCheck({ enabled: true });

/** BTCUSDT at 50,000; strategy min_amount 10; available balances as given. */
function check(side: Side, amount: number, usdt: number | null, btc: number | null, margin = 0.02) {
  return guard.check(
    guardContext({
      side,
      amount,
      strategy: testStrategy({ risk: { balance_safety_margin: margin } as never }),
      account: testAccount({ balances: { quoteAvailable: usdt, baseAvailable: btc } }),
    }),
  );
}

describe('BalanceCheck (BTCUSDT at 50,000, min_amount 10, margin 2 %)', () => {
  it.each<[string, Side, number, number | null, number | null, number]>([
    ['buy well covered by USDT', 'buy', 100, 10_000, 0, 100],
    ['buy shrunk to 98 % of 100 USDT', 'buy', 100, 100, 0, 98],
    ['buy shrunk just below the amount', 'buy', 100, 102.04, 0, 99.9992],
    ['buy just covered after the margin', 'buy', 100, 102.05, 0, 100],
    ['buy shrunk to just above the minimum', 'buy', 100, 10.21, 0, 10.0058],
    ['sell covered by 1 BTC (49,000 USDT usable)', 'sell', 100, 0, 1, 100],
    ['sell shrunk to what 0.001 BTC buys after the margin', 'sell', 100, 0, 0.001, 49],
    ['sell just at the minimum (0.000204081633 BTC)', 'sell', 100, 0, 0.000204081633, 10],
  ])('%s', (_name, side, amount, usdt, btc, expected) => {
    const out = check(side, amount, usdt, btc);
    expect(out.pass).toBe(true);
    expect(out.pass && out.amount).toBeCloseTo(expected, 6);
    expect(out.pass && out.amount).toBeLessThanOrEqual(amount);
  });

  it.each<[string, Side, number, number | null, number | null, string]>([
    ['buy: USDT below the minimum after the margin (9.996)', 'buy', 100, 10.2, 100, 'needs USDT'],
    ['buy: no USDT at all, plenty of BTC', 'buy', 100, 0, 100, 'needs USDT'],
    ['buy: no USDT balance row', 'buy', 100, null, 100, 'no USDT balance known'],
    ['sell: BTC worth 9.8 USDT after the margin', 'sell', 100, 1_000_000, 0.0002, 'needs BTC'],
    ['sell: no BTC, plenty of USDT', 'sell', 100, 1_000_000, 0, 'needs BTC'],
    ['sell: no BTC balance row', 'sell', 100, 1_000_000, null, 'no BTC balance known'],
  ])('skips %s', (_name, side, amount, usdt, btc, text) => {
    const out = check(side, amount, usdt, btc);
    expect(out).toMatchObject({ pass: false, reason: 'insufficient_balance', detail: expect.stringContaining(text) });
  });

  it.each([
    [0, 100, 100],
    [0.5, 100, 50],
    [0.1, 1_000, 100],
  ])('margin %d: buy of 100 with %d USDT -> %d', (margin, usdt, expected) => {
    const out = check('buy', 100, usdt, 0, margin);
    expect(out).toMatchObject({ pass: true, amount: expected });
  });

  it('says when it shrank the amount', () => {
    expect(check('buy', 100, 100, 0)).toMatchObject({ pass: true, note: expect.stringContaining('shrunk from 100 to 98 USDT by the USDT balance') });
  });

  it('passes everything when the balance check is off', () => {
    const off = new BalanceCheck({ enabled: false });
    expect(off.check(guardContext({ account: testAccount({ balances: { quoteAvailable: 0, baseAvailable: 0 } }) }))).toEqual({ pass: true, amount: 100 });
  });
});

import { isPartialFill, SignalFacts } from './partial-fill';

// 100 USDT at 50,000 → 0.002 BTC intended.
const signal: SignalFacts = { amount: 100, price: 50_000 };

describe('isPartialFill', () => {
  it.each<[string, number, SignalFacts | undefined, number, boolean]>([
    ['full fill', 0.002, signal, 0.01, false],
    ['over-fill', 0.0021, signal, 0.01, false],
    ['exactly at the tolerance edge (0.00198)', 0.00198, signal, 0.01, false],
    ['just below the edge', 0.001979, signal, 0.01, true],
    ['half filled', 0.001, signal, 0.01, true],
    ['zero tolerance, a hair short', 0.0019999, signal, 0, true],
    ['unknown signal', 0.0001, undefined, 0.01, false],
    ['signal without a price uses signal_price', 0.001, { amount: 100, price: null }, 0.01, true],
    ['signal with amount 0', 0.001, { amount: 0, price: 50_000 }, 0.01, false],
  ])('%s', (_name, qty, facts, tolerance, expected) => {
    expect(isPartialFill({ execution_quantity: qty, signal_price: 50_000 }, facts, tolerance)).toBe(expected);
  });

  it('no price anywhere: false', () => {
    expect(isPartialFill({ execution_quantity: 0.001, signal_price: null }, { amount: 100, price: null }, 0.01)).toBe(false);
  });
});

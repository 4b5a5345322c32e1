import { marketFill, slippageOf } from './fill-model';

const base = { bid: 99.9, ask: 100.1, topDepth: 10, slippageBps: 10, feeRate: 0.001 };

describe('marketFill', () => {
  it.each([
    // side, quantity, expected price
    ['buy', 1, 100.1 * (1 + 0.001 * 0.1)],
    ['buy', 10, 100.1 * (1 + 0.001)],
    ['buy', 20, 100.1 * (1 + 0.002)],
    ['sell', 1, 99.9 * (1 - 0.001 * 0.1)],
    ['sell', 10, 99.9 * (1 - 0.001)],
  ] as const)('%s %d: takes the other side of the book and walks it by size', (side, quantity, price) => {
    const fill = marketFill({ ...base, side, quantity });
    expect(fill.price).toBeCloseTo(price, 10);
    expect(fill.notional).toBeCloseTo(price * quantity, 10);
    expect(fill.fee).toBeCloseTo(price * quantity * 0.001, 12);
  });

  it('without slippage a buy pays exactly the ask and a sell gets exactly the bid', () => {
    expect(marketFill({ ...base, slippageBps: 0, side: 'buy', quantity: 3 }).price).toBe(100.1);
    expect(marketFill({ ...base, slippageBps: 0, side: 'sell', quantity: 3 }).price).toBe(99.9);
  });

  it('charges no fee at a zero fee rate', () => {
    expect(marketFill({ ...base, feeRate: 0, side: 'buy', quantity: 1 }).fee).toBe(0);
  });

  it.each([
    ['a zero quantity', { quantity: 0 }],
    ['a negative quantity', { quantity: -1 }],
    ['a crossed book', { quantity: 1, bid: 101, ask: 100 }],
    ['a zero bid', { quantity: 1, bid: 0 }],
  ])('refuses %s', (_name, over) => {
    expect(() => marketFill({ ...base, side: 'buy', ...{ quantity: 1 }, ...over })).toThrow(RangeError);
  });
});

describe('slippageOf', () => {
  it.each([
    [101, 100, 1, 1],
    [99, 100, -1, -1],
    [100, 100, 0, 0],
  ])('execution %d vs signal %d → %d (%d %)', (exec, signal, abs, pct) => {
    const s = slippageOf(exec, signal);
    expect(s.slippage).toBeCloseTo(abs, 10);
    expect(s.slippage_percent).toBeCloseTo(pct, 10);
  });
});

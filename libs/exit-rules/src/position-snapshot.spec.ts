import { compareTimestamps, isClosed, isNewer, pnlPctFromPrices, positionKeyOf, toEpochMs } from './position-snapshot';

describe('toEpochMs', () => {
  it.each([
    ['epoch ms', 1_767_225_600_000, 1_767_225_600_000],
    ['ISO 8601 with Z', '2026-01-01T00:00:00.000Z', 1_767_225_600_000],
    ['ISO 8601 with offset', '2026-01-01T01:00:00+01:00', 1_767_225_600_000],
    ['a string of digits (ms)', '1767225600000', 1_767_225_600_000],
    ['a Date', new Date(1_767_225_600_000), 1_767_225_600_000],
    ['garbage', 'yesterday-ish', NaN],
    ['empty string', '', NaN],
    ['Infinity', Infinity, NaN],
    ['null', null, NaN],
  ])('%s → %s', (_name, input, expected) => {
    expect(toEpochMs(input as never)).toBe(expected);
  });
});

describe('isNewer / compareTimestamps', () => {
  const at = (timestamp: number | string) => ({ timestamp });
  it.each([
    [at(2000), at(1000), true],
    [at(1000), at(2000), false],
    [at(1000), at(1000), false],
    [at('2026-01-01T00:00:01.000Z'), at(Date.parse('2026-01-01T00:00:00.999Z')), true],
    [at('2026-01-01T00:00:00.000Z'), at(Date.parse('2026-01-01T00:00:00.000Z')), false],
    [at(1), at('not a time'), true],
    [at('not a time'), at(1), false],
  ])('isNewer(%j, %j) = %s', (a, b, expected) => {
    expect(isNewer(a, b)).toBe(expected);
  });

  it('sorts a shuffled burst back into time order and keeps the newest', () => {
    const updates = [5, 1, 4, 2, 3].map((n) => ({ timestamp: new Date(1_000_000 + n).toISOString(), n }));
    let newest = updates[0];
    for (const u of updates) if (!isNewer(newest, u)) newest = u;
    expect(newest.n).toBe(5);
    expect([...updates].sort(compareTimestamps).map((u) => u.n)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('isClosed', () => {
  it.each([
    [0, true],
    [0.0001, false],
    [-1, false],
  ])('size %d → %s', (size, closed) => {
    expect(isClosed({ size })).toBe(closed);
  });
});

describe('positionKeyOf', () => {
  it.each([
    [{ asset: 'BTCUSDT', strategy_id: 'momentum' }, 'BTCUSDT:momentum'],
    [{ asset: 'BTCUSDT', strategy_id: null }, 'BTCUSDT:-'],
    [{ asset: 'BTCUSDT' }, 'BTCUSDT:-'],
    [{ asset: 'BTCUSDT', strategy_id: '' }, 'BTCUSDT:-'],
  ])('%j → %s', (snap, key) => {
    expect(positionKeyOf(snap)).toBe(key);
  });
});

describe('pnlPctFromPrices', () => {
  it.each([
    [100, 103, 3],
    [100, 98, -2],
    [200, 200, 0],
    [0, 10, NaN],
    [100, NaN, NaN],
  ])('entry %d, price %d → %d %%', (entry, price, pnl) => {
    const got = pnlPctFromPrices(entry, price);
    if (Number.isNaN(pnl)) expect(got).toBeNaN();
    else expect(got).toBeCloseTo(pnl, 12);
  });
});

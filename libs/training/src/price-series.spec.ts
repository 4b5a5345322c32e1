import { PriceSeries } from './price-series';

describe('PriceSeries', () => {
  const series = (): PriceSeries => {
    const s = new PriceSeries();
    // Added out of order, with junk that must be ignored.
    s.add('BTC', 3_000, 103);
    s.add('BTC', 1_000, 101);
    s.add('BTC', 2_000, '102');
    s.add('BTC', 4_000, null);
    s.add('BTC', 5_000, -1);
    s.add('BTC', 6_000, Number.NaN);
    s.add('ETH', 1_500, 2_000);
    s.seal();
    return s;
  };

  it.each<[string, string, number, number, number | null]>([
    ['the first price at or after from + horizon', 'BTC', 1_000, 1_000, 102],
    ['exactly at an observation', 'BTC', 0, 3_000, 103],
    ['horizon 0 → the price at that moment', 'BTC', 2_000, 0, 102],
    ['between observations → the next one', 'BTC', 1_500, 100, 102],
    ['beyond the data → not known yet', 'BTC', 3_000, 1, null],
    ['another asset never leaks', 'ETH', 0, 0, 2_000],
    ['unknown asset', 'SOL', 0, 0, null],
  ])('%s', (_name, asset, from, horizon, expected) => {
    expect(series().priceAfter(asset, from, horizon)).toBe(expected);
  });

  it('must be sealed before use, and is read-only afterwards', () => {
    const s = new PriceSeries();
    s.add('BTC', 1, 1);
    expect(() => s.priceAfter('BTC', 0, 0)).toThrow('seal');
    s.seal();
    expect(() => s.add('BTC', 2, 2)).toThrow('sealed');
  });

  it('joins parts in part order: equal times keep part order, then the order they were added in', () => {
    const s = new PriceSeries();
    // Part 1's prices arrive first, interleaved with part 0's.
    s.add('BTC', 2_000, 21, 1);
    s.add('BTC', 1_000, 10, 0);
    s.add('BTC', 2_000, 20, 0);
    s.add('BTC', 3_000, 31, 1);
    s.add('BTC', 2_000, 22, 1);
    s.seal();
    expect(s.priceAfter('BTC', 1_500, 0)).toBe(20);
    expect(s.priceAfter('BTC', 2_500, 0)).toBe(31);
    const one = new PriceSeries();
    [[2_000, 21], [1_000, 10], [2_000, 20]].forEach(([t, p]) => one.add('BTC', t, p));
    one.seal();
    expect(one.priceAfter('BTC', 1_500, 0)).toBe(21); // one part: the order they were added in
  });
});

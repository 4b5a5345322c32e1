import { splitPair } from './asset-pair';

describe('splitPair', () => {
  it.each([
    ['BTCUSDT', { base: 'BTC', quote: 'USDT' }],
    ['ETHUSDC', { base: 'ETH', quote: 'USDC' }],
    ['ETHBTC', { base: 'ETH', quote: 'BTC' }],
    ['SOLFDUSD', { base: 'SOL', quote: 'FDUSD' }],
    ['BTCUSD', { base: 'BTC', quote: 'USD' }],
    ['1000PEPEUSDT', { base: '1000PEPE', quote: 'USDT' }],
    ['USDT', null],
    ['XUSDT', null],
    ['BTCXYZ', null],
  ])('%s -> %j', (asset, expected) => {
    expect(splitPair(asset)).toEqual(expected);
  });
});

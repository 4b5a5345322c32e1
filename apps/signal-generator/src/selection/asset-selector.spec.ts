import { FakeClock } from '@model-service/util/testing';

import { CoinBalance, selectAssets } from './asset-selection';
import { AssetSelector } from './asset-selector';

const PRICES: Record<string, number> = { BTCUSDT: 100_000, ETHUSDT: 2_000, SOLUSDT: 100, SOLUSDC: 101, DOGEUSDC: 0.1 };
const price = (pair: string): number | null => PRICES[pair] ?? null;
const rules = { minBalanceUsdt: 10, quoteCurrencies: ['USDT', 'USDC', 'BUSD'] };

describe('selectAssets', () => {
  it.each<[string, CoinBalance[], string[]]>([
    ['worth exactly the minimum is selected', [{ coin: 'SOL', available: 0.1 }], ['SOLUSDC', 'SOLUSDT']],
    ['just below the minimum is not', [{ coin: 'SOL', available: 0.0999 }], []],
    ['a zero balance is not', [{ coin: 'BTC', available: 0 }], []],
    ['quote currencies are money, not assets', [{ coin: 'USDT', available: 1e6 }, { coin: 'USDC', available: 1e6 }], []],
    ['priced through another quote currency at par', [{ coin: 'DOGE', available: 100 }], ['DOGEUSDC']],
    ['SOL 5 USDT-worth, ETH 50, BTC 0', [{ coin: 'SOL', available: 0.05 }, { coin: 'ETH', available: 50 }, { coin: 'BTC', available: 0 }], ['ETHUSDT']],
  ])('%s', (_name, balances, expected) => {
    expect(selectAssets(balances, price, rules).assets).toEqual(expected);
  });

  it('reports coins without any known price', () => {
    const r = selectAssets([{ coin: 'XRP', available: 1e6 }], price, rules);
    expect(r).toMatchObject({ assets: [], unpriced: ['XRP'] });
  });
});

describe('AssetSelector', () => {
  const make = (load: () => Promise<CoinBalance[]>, clock: FakeClock, priceOf = price) =>
    new AssetSelector({ ...rules, ttlMs: 300_000, fallback: ['BTCUSDT', 'ETHUSDT'], priceWaitMs: 30_000, clock }, { loadBalances: load, price: priceOf });

  it('caches for the TTL and recomputes after it', async () => {
    const clock = new FakeClock();
    const load = jest.fn().mockResolvedValue([{ coin: 'ETH', available: 1 }]);
    const s = make(load, clock);
    expect((await s.current()).assets).toEqual(['ETHUSDT']);
    clock.advance(299_999);
    await s.current();
    expect(load).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await s.current();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['no balances', () => Promise.resolve([]), 'no_balances'],
    ['balances unreadable', () => Promise.reject(new Error('down')), 'balance_read_failed'],
    ['nothing worth the minimum', () => Promise.resolve([{ coin: 'ETH', available: 0.001 }]), 'no_qualifying_balance'],
  ])('falls back when %s', async (_n, load, reason) => {
    const sel = await make(load as () => Promise<CoinBalance[]>, new FakeClock()).current('t-1');
    expect(sel).toMatchObject({ assets: ['BTCUSDT', 'ETHUSDT'], source: 'fallback', reason, traceId: 't-1' });
  });

  it('waits for a price up to the wait, uncached, then leaves the coin out', async () => {
    const clock = new FakeClock();
    const known: Record<string, number> = { ETHUSDT: 2000 };
    const load = jest.fn().mockResolvedValue([{ coin: 'ETH', available: 1 }, { coin: 'XRP', available: 1e6 }]);
    const s = make(load, clock, (p) => known[p] ?? null);
    expect(await s.current()).toMatchObject({ assets: ['ETHUSDT'], reason: 'waiting_for_prices', awaitingPrice: ['XRP'] });
    clock.advance(1_000);
    await s.current();
    expect(load).toHaveBeenCalledTimes(2);
    clock.advance(29_000);
    expect(await s.current()).toMatchObject({ assets: ['ETHUSDT'], reason: 'balances', awaitingPrice: [] });
  });
});

import { useTestSchema } from '../testing';
import { AccountBalanceRepository } from '../repositories/account-balance.repository';
import { OrderRepository } from '../repositories/order.repository';
import { PositionRepository } from '../repositories/position.repository';
import { DecisionAccountRepository } from './decision-account.repository';

describe('DecisionAccountRepository: one statement for what an entry decision reads', () => {
  const t = useTestSchema({ prefix: 'decision_account' }, (dataSource) => ({ account: new DecisionAccountRepository(dataSource) }));

  it('reads nothing from empty tables', async () => {
    expect(await t.account.read('s1', 'BTCUSDT', 'BTC', 'USDT')).toEqual({
      openBuy: 0,
      openSell: 0,
      baseAvailable: null,
      quoteAvailable: null,
      own: null,
      shared: null,
    });
  });

  it('counts the strategy’s own open orders on the asset by side, takes the latest balances and both position rows', async () => {
    const orders = new OrderRepository(t.dataSource);
    const order = (orderId: string, side: string, status: 'pending' | 'partially_filled' | 'filled', strategyId: string | null = 's1', asset = 'BTCUSDT') =>
      orders.insert({ orderId, asset, side, orderType: 'Market', quantity: 0.01, status, strategyId });
    await order('a', 'Buy', 'pending');
    await order('b', 'BUY', 'partially_filled');
    await order('c', 'Sell', 'pending');
    await order('d', 'Sell', 'filled'); // not open
    await order('e', 'Buy', 'pending', 's2'); // another strategy
    await order('f', 'Buy', 'pending', null); // no strategy
    await order('g', 'Sell', 'pending', 's1', 'ETHUSDT'); // another asset

    const balances = new AccountBalanceRepository(t.dataSource);
    await balances.insert({ coin: 'USDT', walletBalance: 1000, availableBalance: 900 });
    await balances.insert({ coin: 'BTC', walletBalance: 0.5, availableBalance: 0.25 });
    await balances.insert({ coin: 'USDT', walletBalance: 800.25, availableBalance: 700.125 });

    const positions = new PositionRepository(t.dataSource);
    const base = { asset: 'BTCUSDT', averageEntryPrice: 100, currentPrice: 101, unrealizedPnl: 1, realizedPnl: 0, openedAt: new Date('2026-03-01T00:00:00Z') };
    await positions.upsert({ ...base, strategyId: 's1', size: 1.5, unrealizedPnlPct: 1.25 });
    await positions.upsert({ ...base, strategyId: null, size: 2, unrealizedPnlPct: -0.5 });
    await positions.upsert({ ...base, strategyId: 's2', size: 7, unrealizedPnlPct: 9 });

    const read = await t.account.read('s1', 'BTCUSDT', 'BTC', 'USDT');
    expect(read).toEqual({
      openBuy: 2,
      openSell: 1,
      baseAvailable: 0.25,
      quoteAvailable: 700.125,
      own: { size: 1.5, closedAt: null, unrealizedPnlPct: 1.25 },
      shared: { size: 2, closedAt: null, unrealizedPnlPct: -0.5 },
    });
    // The same figures as the per-table repositories give.
    const open = (await orders.listOpen('BTCUSDT')).filter((o) => o.strategyId === 's1');
    expect(open.filter((o) => o.side.toLowerCase() === 'buy')).toHaveLength(read.openBuy);
    expect((await balances.latestByCoin('USDT'))?.availableBalance).toBe(read.quoteAvailable);
    expect((await positions.findByAsset('BTCUSDT', 's1'))?.size).toBe(read.own?.size);

    // A strategy without rows of its own sees only the shared position; a closed row reads as closed.
    await positions.upsert({ ...base, strategyId: 's1', size: 0, unrealizedPnlPct: 0, closedAt: new Date('2026-03-02T00:00:00Z') });
    const after = await t.account.read('s3', 'BTCUSDT', 'BTC', 'USDT');
    expect(after).toMatchObject({ openBuy: 0, openSell: 0, own: null, shared: { size: 2 } });
    expect((await t.account.read('s1', 'BTCUSDT', 'BTC', 'USDT')).own).toEqual({ size: 0, closedAt: new Date('2026-03-02T00:00:00Z'), unrealizedPnlPct: 0 });
  });
  it('as a prepared statement, reused past PostgreSQL\'s switch to a cached plan, it still sees every new row', async () => {
    const orders = new OrderRepository(t.dataSource);
    // More reads than connections x 5 (the custom plans PostgreSQL makes before it may cache a generic one).
    for (let i = 0; i < 60; i++) await t.account.read('s9', 'SOLUSDT', 'SOL', 'USDT');
    expect((await t.account.read('s9', 'SOLUSDT', 'SOL', 'USDT')).openBuy).toBe(0);
    await orders.insert({ orderId: 'p1', asset: 'SOLUSDT', side: 'Buy', orderType: 'Market', quantity: 1, status: 'pending', strategyId: 's9' });
    const reads = await Promise.all(Array.from({ length: 20 }, () => t.account.read('s9', 'SOLUSDT', 'SOL', 'USDT')));
    expect(reads.map((r) => r.openBuy)).toEqual(Array(20).fill(1));
  });
});

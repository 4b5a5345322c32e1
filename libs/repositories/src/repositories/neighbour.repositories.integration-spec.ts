import { RecordConflictError } from '../errors';
import { useTestSchema } from '../testing';
import { AccountBalanceRepository } from './account-balance.repository';
import { OrderRepository } from './order.repository';
import { PositionStateRepository } from './position-state.repository';
import { PositionRepository } from './position.repository';

describe('order, balance, position and position-state repositories', () => {
  const t = useTestSchema();

  it('hasOpenOrder: any open order, or only one on a given side; filled orders never count', async () => {
    const orders = new OrderRepository(t.dataSource);
    const o = (orderId: string, side: string, status: 'pending' | 'partially_filled' | 'filled', strategyId = 's1') =>
      orders.insert({ orderId, asset: 'BTCUSDT', side, orderType: 'Market', quantity: 0.01, status, strategyId });

    expect(await orders.hasOpenOrder('BTCUSDT', 's1')).toBe(false);
    await o('o-filled', 'Buy', 'filled');
    expect(await orders.hasOpenOrder('BTCUSDT', 's1')).toBe(false);

    await o('o-open-buy', 'Buy', 'pending');
    await expect(o('o-open-buy', 'Buy', 'pending')).rejects.toBeInstanceOf(RecordConflictError);
    // Any-order mode.
    expect(await orders.hasOpenOrder('BTCUSDT', 's1')).toBe(true);
    expect(await orders.hasOpenOrder('ETHUSDT', 's1')).toBe(false);
    expect(await orders.hasOpenOrder('BTCUSDT', 's2')).toBe(false);
    expect(await orders.hasOpenOrder('BTCUSDT', null)).toBe(true);
    // Opposite-side mode: a SELL signal checks for open BUYs, a BUY signal for open SELLs.
    expect(await orders.hasOpenOrder('BTCUSDT', 's1', 'buy')).toBe(true);
    expect(await orders.hasOpenOrder('BTCUSDT', 's1', 'sell')).toBe(false);

    await o('o-part-sell', 'SELL', 'partially_filled');
    expect(await orders.hasOpenOrder('BTCUSDT', 's1', 'Sell')).toBe(true);
    const updated = await orders.update('o-part-sell', { status: 'filled', filledQuantity: 0.01, averagePrice: 65000.25 });
    expect(updated).toMatchObject({ status: 'filled', filledQuantity: 0.01, averagePrice: 65000.25, quantity: 0.01 });
    expect(await orders.hasOpenOrder('BTCUSDT', 's1', 'sell')).toBe(false);
    expect((await orders.listOpen('BTCUSDT')).map((x) => x.orderId)).toEqual(['o-open-buy']);
  });

  it('balances: the latest snapshot per coin', async () => {
    const balances = new AccountBalanceRepository(t.dataSource);
    expect(await balances.latestByCoin('USDT')).toBeNull();
    await balances.insert({ coin: 'USDT', walletBalance: 1000, availableBalance: 900 });
    await balances.insert({ coin: 'BTC', walletBalance: 0.5, availableBalance: 0.5 });
    await balances.insert({ coin: 'USDT', walletBalance: 800.25, availableBalance: 700.125, frozen: 100 });
    expect(await balances.latestByCoin('USDT')).toMatchObject({ walletBalance: 800.25, availableBalance: 700.125, frozen: 100 });
    const all = await balances.latestAll();
    expect(all.map((b) => [b.coin, b.availableBalance])).toEqual([
      ['BTC', 0.5],
      ['USDT', 700.125],
    ]);
  });

  it('positions: one row per asset and strategy, upserted in place', async () => {
    const positions = new PositionRepository(t.dataSource);
    const base = {
      asset: 'ETHUSDT',
      size: 1.5,
      averageEntryPrice: 3000,
      currentPrice: 3100,
      unrealizedPnl: 150,
      unrealizedPnlPct: 3.33,
      realizedPnl: 0,
      openedAt: new Date('2026-03-01T00:00:00Z'),
    };
    const first = await positions.upsert({ ...base, strategyId: 'p1' });
    const moved = await positions.upsert({ ...base, strategyId: 'p1', currentPrice: 3200, unrealizedPnl: 300 });
    expect(moved.id).toBe(first.id);
    await positions.upsert({ ...base, strategyId: null, size: 2 });
    expect(await positions.findByAsset('ETHUSDT', 'p1')).toMatchObject({ currentPrice: 3200, size: 1.5 });
    expect(await positions.findByAsset('ETHUSDT', null)).toMatchObject({ strategyId: null, size: 2 });
    expect(await positions.findByAsset('ETHUSDT', 'none')).toBeNull();
    expect(await positions.findByAsset('ETHUSDT')).not.toBeNull();
    await positions.upsert({ ...base, strategyId: 'p1', size: 0, closedAt: new Date() });
    await positions.upsert({ ...base, strategyId: null, size: 0, closedAt: new Date() });
    expect(await positions.findByAsset('ETHUSDT')).toBeNull();
    expect(await positions.listOpen()).toEqual([]);
  });

  it('position states: upsert, get, all, delete', async () => {
    const states = new PositionStateRepository(t.dataSource);
    const state = {
      positionKey: 'BTCUSDT:s1',
      positionId: 'pos-1',
      asset: 'BTCUSDT',
      strategyId: 's1',
      entryPrice: 60000,
      entryTime: new Date('2026-03-01T00:00:00Z'),
      peakPrice: 61000.5,
      highestUnrealizedPnlPct: 1.67,
      trailingArmed: false,
      partialExitsDone: 0,
      lastExitSignalAt: null,
      lastUpdateAt: new Date('2026-03-01T01:00:00Z'),
    };
    await states.upsert(state);
    await states.upsert({ ...state, peakPrice: 62000.75, trailingArmed: true, partialExitsDone: 1 });
    expect(await states.get('BTCUSDT:s1')).toMatchObject({ peakPrice: 62000.75, trailingArmed: true, partialExitsDone: 1, entryPrice: 60000 });
    expect((await states.all()).map((s) => s.positionKey)).toEqual(['BTCUSDT:s1']);
    expect(await states.delete('BTCUSDT:s1')).toBe(true);
    expect(await states.delete('BTCUSDT:s1')).toBe(false);
    expect(await states.get('BTCUSDT:s1')).toBeNull();
  });

  it('position states: upsertMany inserts new rows and replaces existing ones in one statement, values exact', async () => {
    const states = new PositionStateRepository(t.dataSource);
    const row = (key: string, peakPrice: number, lastExitSignalAt: Date | null) => ({
      positionKey: key,
      positionId: `pos-${key}`,
      asset: 'ETHUSDT',
      strategyId: key === 'm3' ? null : 's-many',
      entryPrice: 3000.125,
      entryTime: new Date('2026-03-01T00:00:00.123Z'),
      peakPrice,
      highestUnrealizedPnlPct: 0.1 + 0.2,
      trailingArmed: peakPrice > 3100,
      partialExitsDone: 2,
      lastExitSignalAt,
      lastUpdateAt: new Date('2026-03-01T02:00:00.456Z'),
    });
    await states.upsertMany([]);
    await states.upsertMany([row('m1', 3050, null), row('m2', 3060, null)]);
    await states.upsertMany([row('m2', 3150.5, new Date('2026-03-01T03:00:00.789Z')), row('m3', 3010, null)]);
    const got = (await states.all()).filter((s) => s.positionKey.startsWith('m'));
    expect(got.map(({ updatedAt: _, ...rest }) => rest)).toEqual([
      row('m1', 3050, null),
      row('m2', 3150.5, new Date('2026-03-01T03:00:00.789Z')),
      row('m3', 3010, null),
    ]);
  });

  it('orders: simulated times kept, patched without a read back, open ones rejected at once', async () => {
    const orders = new OrderRepository(t.dataSource);
    const created = new Date('2026-02-01T10:00:00Z');
    const base = { asset: 'SOLUSDT', side: 'buy', orderType: 'market', quantity: 2, createdAt: created };
    await orders.insertOnly({ ...base, orderId: 'sim-1', signalId: '00000000-0000-4000-8000-000000000001' });
    await orders.insertOnly({ ...base, orderId: 'sim-2', status: 'partially_filled' });
    await orders.insertOnly({ ...base, orderId: 'sim-3', status: 'filled' });
    await expect(orders.insertOnly({ ...base, orderId: 'sim-1' })).rejects.toBeInstanceOf(RecordConflictError);
    expect(await orders.findBySignalId('00000000-0000-4000-8000-000000000001')).toMatchObject({ orderId: 'sim-1', createdAt: created, updatedAt: created });

    const later = new Date('2026-02-01T10:05:00Z');
    expect(await orders.patchAt('sim-1', { status: 'filled', filledQuantity: 2, averagePrice: 150.5, fees: 0.3 }, later)).toBe(true);
    expect(await orders.patchAt('missing', { status: 'filled' }, later)).toBe(false);
    expect(await orders.findByOrderId('sim-1')).toMatchObject({ status: 'filled', averagePrice: 150.5, createdAt: created, updatedAt: later });

    const end = new Date('2026-02-01T11:00:00Z');
    const open = (await orders.listOpen()).map((o) => o.orderId);
    expect(open).toContain('sim-2');
    expect(open).not.toContain('sim-1');
    expect(await orders.rejectOpen('restart', end)).toBe(open.length);
    expect(await orders.listOpen()).toEqual([]);
    expect(await orders.findByOrderId('sim-2')).toMatchObject({ status: 'rejected', rejectionReason: 'restart', updatedAt: end });
    expect(await orders.findByOrderId('sim-3')).toMatchObject({ status: 'filled' });
  });
});

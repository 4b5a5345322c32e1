import { useTestSchema } from '../testing';
import { AccountBalanceRepository } from '../repositories/account-balance.repository';
import { OrderRepository } from '../repositories/order.repository';
import { PositionRepository } from '../repositories/position.repository';
import { UnitOfWork } from './unit-of-work';

describe('UnitOfWork', () => {
  const t = useTestSchema({ prefix: 'uow' }, (dataSource) => ({ uow: new UnitOfWork(dataSource) }));

  const position = (strategyId: string) => ({
    asset: 'BTCUSDT',
    strategyId,
    size: 0.1,
    averageEntryPrice: 60_000,
    currentPrice: 60_500,
    unrealizedPnl: 50,
    unrealizedPnlPct: 0.83,
    realizedPnl: 0,
    openedAt: new Date('2026-03-01T00:00:00Z'),
  });

  it('commits the order, position and balance written through the scope together', async () => {
    await new OrderRepository(t.dataSource).insertOnly({ orderId: 'u-1', asset: 'BTCUSDT', side: 'buy', orderType: 'market', quantity: 0.1 });
    const id = await t.uow.run(async (tx) => {
      await tx.orders.patchAt('u-1', { status: 'filled', filledQuantity: 0.1 }, new Date('2026-03-01T00:00:01Z'));
      const row = await tx.positions.upsert(position('committed'));
      await tx.balances.insert({ coin: 'USDT', walletBalance: 4_000, availableBalance: 4_000 });
      return row.id;
    });
    expect(await new PositionRepository(t.dataSource).findByAsset('BTCUSDT', 'committed')).toMatchObject({ id });
    expect(await new OrderRepository(t.dataSource).findByOrderId('u-1')).toMatchObject({ status: 'filled' });
    expect(await new AccountBalanceRepository(t.dataSource).latestByCoin('USDT')).toMatchObject({ walletBalance: 4_000 });
  });

  it('rolls every write back when the work throws, and rethrows its error', async () => {
    await new OrderRepository(t.dataSource).insertOnly({ orderId: 'u-2', asset: 'BTCUSDT', side: 'buy', orderType: 'market', quantity: 0.1 });
    const failure = t.uow.run(async (tx) => {
      await tx.orders.patchAt('u-2', { status: 'filled' }, new Date());
      await tx.positions.upsert(position('rolled-back'));
      await tx.balances.insert({ coin: 'BTC', walletBalance: 1, availableBalance: 1 });
      throw new Error('fill refused');
    });
    await expect(failure).rejects.toThrow('fill refused');
    expect(await new PositionRepository(t.dataSource).findByAsset('BTCUSDT', 'rolled-back')).toBeNull();
    expect(await new OrderRepository(t.dataSource).findByOrderId('u-2')).toMatchObject({ status: 'pending' });
    expect(await new AccountBalanceRepository(t.dataSource).latestByCoin('BTC')).toBeNull();
  });
});

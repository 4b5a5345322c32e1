import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';

import { OPEN_ORDER_STATUSES, OrderEntity, OrderStatus } from '../entities/order.entity';
import { isUniqueViolation, RecordConflictError, RecordNotFoundError } from '../errors';
import { TableRepository } from './table.repository';

export interface NewOrder {
  orderId: string;
  signalId?: string | null;
  strategyId?: string | null;
  asset: string;
  side: string;
  orderType: string;
  quantity: number;
  price?: number | null;
  status?: OrderStatus;
  filledQuantity?: number;
  averagePrice?: number | null;
  fees?: number;
  rejectionReason?: string | null;
  /** Default: the database's now() (a simulator passes its simulated time). */
  createdAt?: Date;
  /** Default: createdAt. */
  updatedAt?: Date;
}

export type OrderPatch = Partial<
  Pick<OrderEntity, 'status' | 'filledQuantity' | 'averagePrice' | 'fees' | 'rejectionReason' | 'price'>
>;

@Injectable()
export class OrderRepository extends TableRepository<OrderEntity, DataSource | EntityManager> {
  /** A DataSource, or the EntityManager of a transaction (see UnitOfWork). */
  constructor(dataSource: DataSource | EntityManager) {
    super(dataSource, OrderEntity);
  }

  /**
   * Whether an open order (pending or partially_filled) exists for the asset and strategy.
   * `strategyId` null: orders of any strategy count. `side` given: only orders on that side count
   * (pass the opposite side of the intended signal for the "opposite orders only" mode). Side is
   * compared case-insensitively (Bybit writes "Buy"/"Sell").
   */
  async hasOpenOrder(asset: string, strategyId: string | null, side?: string): Promise<boolean> {
    const qb = this.repo
      .createQueryBuilder('o')
      .select('1')
      .where('o.asset = :asset', { asset })
      .andWhere('o.status IN (:...statuses)', { statuses: OPEN_ORDER_STATUSES });
    if (strategyId !== null) qb.andWhere('o.strategy_id = :strategyId', { strategyId });
    if (side !== undefined) qb.andWhere('lower(o.side) = lower(:side)', { side });
    const row = await qb.limit(1).getRawOne();
    return row !== undefined;
  }

  /** Throws RecordConflictError when the order_id exists. */
  async insert(order: NewOrder): Promise<OrderEntity> {
    await this.insertOnly(order);
    return this.getOrThrow(order.orderId);
  }

  /** Inserts the order without reading it back (a hot path); throws RecordConflictError when the order_id exists. */
  async insertOnly(order: NewOrder): Promise<void> {
    const entity = this.repo.create({
      signalId: null,
      strategyId: null,
      price: null,
      status: 'pending',
      filledQuantity: 0,
      averagePrice: null,
      fees: 0,
      rejectionReason: null,
      ...order,
      ...(order.createdAt !== undefined ? { updatedAt: order.updatedAt ?? order.createdAt } : {}),
    });
    try {
      await this.repo.insert(entity);
    } catch (err) {
      if (isUniqueViolation(err)) throw new RecordConflictError(`order ${order.orderId} already exists`);
      throw err;
    }
  }

  /** Applies the patch with updated_at = `at` (no read back); false when the order does not exist. */
  async patchAt(orderId: string, patch: OrderPatch, at: Date): Promise<boolean> {
    const result = await this.repo.update({ orderId }, { ...patch, updatedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** Rejects every open order (pending or partially filled) with `reason`, updated_at = `at`; returns how many. */
  async rejectOpen(reason: string, at: Date): Promise<number> {
    const result = await this.repo.update(
      { status: In([...OPEN_ORDER_STATUSES]) },
      { status: 'rejected', rejectionReason: reason, updatedAt: at },
    );
    return result.affected ?? 0;
  }

  findBySignalId(signalId: string): Promise<OrderEntity | null> {
    return this.repo.findOne({ where: { signalId } });
  }

  /** Applies the patch (updated_at = now) and returns the row. */
  async update(orderId: string, patch: OrderPatch): Promise<OrderEntity> {
    const result = await this.repo.update({ orderId }, { ...patch, updatedAt: () => 'now()' });
    if (!result.affected) throw new RecordNotFoundError(`order ${orderId} not found`);
    return this.getOrThrow(orderId);
  }

  findByOrderId(orderId: string): Promise<OrderEntity | null> {
    return this.repo.findOne({ where: { orderId } });
  }

  getOrThrow(orderId: string): Promise<OrderEntity> {
    return this.foundOrThrow(this.findByOrderId(orderId), `order ${orderId}`);
  }

  /** Open orders, oldest first, optionally of one asset. */
  listOpen(asset?: string): Promise<OrderEntity[]> {
    return this.repo.find({
      where: { ...(asset !== undefined ? { asset } : {}), status: In([...OPEN_ORDER_STATUSES]) },
      order: { createdAt: 'ASC' },
    });
  }
}

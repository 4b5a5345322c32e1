import { Column, Entity } from 'typeorm';

import { AssetColumn, DefaultNowColumn, NumericColumn, StrategyIdColumn, UuidPrimaryColumn } from './columns';

export type OrderStatus = 'pending' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';

/** Statuses of an order still working on the exchange. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'partially_filled'];

/** An exchange order (owned by order-manager; read here, written by the simulator). */
@Entity({ name: 'orders' })
export class OrderEntity {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 100, unique: true })
  orderId!: string;

  @Column({ name: 'signal_id', type: 'uuid', nullable: true })
  signalId!: string | null;

  @StrategyIdColumn({ nullable: true })
  strategyId!: string | null;

  @AssetColumn()
  asset!: string;

  @Column({ type: 'varchar', length: 10 })
  side!: string;

  @Column({ name: 'order_type', type: 'varchar', length: 20 })
  orderType!: string;

  @NumericColumn('quantity')
  quantity!: number;

  @NumericColumn('price', { nullable: true })
  price!: number | null;

  @Column({ type: 'varchar', length: 20 })
  status!: OrderStatus;

  @NumericColumn('filled_quantity', { default: 0 })
  filledQuantity!: number;

  @NumericColumn('average_price', { nullable: true })
  averagePrice!: number | null;

  @NumericColumn('fees', { default: 0 })
  fees!: number;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @DefaultNowColumn('created_at')
  createdAt!: Date;

  @DefaultNowColumn('updated_at')
  updatedAt!: Date;
}

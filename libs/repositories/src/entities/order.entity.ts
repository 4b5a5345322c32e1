import { Column, Entity, PrimaryColumn } from 'typeorm';

import { numericTransformer } from '../database/numeric.transformer';

export type OrderStatus = 'pending' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';

/** Statuses of an order still working on the exchange. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'partially_filled'];

/** An exchange order (owned by order-manager; read here, written by the simulator). */
@Entity({ name: 'orders' })
export class OrderEntity {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 100, unique: true })
  orderId!: string;

  @Column({ name: 'signal_id', type: 'uuid', nullable: true })
  signalId!: string | null;

  @Column({ name: 'strategy_id', type: 'varchar', length: 100, nullable: true })
  strategyId!: string | null;

  @Column({ type: 'varchar', length: 30 })
  asset!: string;

  @Column({ type: 'varchar', length: 10 })
  side!: string;

  @Column({ name: 'order_type', type: 'varchar', length: 20 })
  orderType!: string;

  @Column({ type: 'numeric', transformer: numericTransformer })
  quantity!: number;

  @Column({ type: 'numeric', nullable: true, transformer: numericTransformer })
  price!: number | null;

  @Column({ type: 'varchar', length: 20 })
  status!: OrderStatus;

  @Column({ name: 'filled_quantity', type: 'numeric', default: 0, transformer: numericTransformer })
  filledQuantity!: number;

  @Column({ name: 'average_price', type: 'numeric', nullable: true, transformer: numericTransformer })
  averagePrice!: number | null;

  @Column({ type: 'numeric', default: 0, transformer: numericTransformer })
  fees!: number;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

import { numericTransformer } from '../database/numeric.transformer';

/** A balance snapshot per coin (owned by position-manager; read here). */
@Entity({ name: 'account_balances' })
export class AccountBalanceEntity {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  coin!: string;

  @Column({ name: 'wallet_balance', type: 'numeric', transformer: numericTransformer })
  walletBalance!: number;

  @Column({ name: 'available_balance', type: 'numeric', transformer: numericTransformer })
  availableBalance!: number;

  @Column({ type: 'numeric', default: 0, transformer: numericTransformer })
  frozen!: number;

  @Column({ name: 'event_timestamp', type: 'timestamptz', nullable: true })
  eventTimestamp!: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}

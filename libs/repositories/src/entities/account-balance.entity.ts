import { Column, Entity } from 'typeorm';

import { DefaultNowColumn, NullableTimestampColumn, NumericColumn, UuidPrimaryColumn } from './columns';

/** A balance snapshot per coin (owned by position-manager; read here). */
@Entity({ name: 'account_balances' })
export class AccountBalanceEntity {
  @UuidPrimaryColumn()
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  coin!: string;

  @NumericColumn('wallet_balance')
  walletBalance!: number;

  @NumericColumn('available_balance')
  availableBalance!: number;

  @NumericColumn('frozen', { default: 0 })
  frozen!: number;

  @NullableTimestampColumn('event_timestamp')
  eventTimestamp!: Date | null;

  @DefaultNowColumn('received_at')
  receivedAt!: Date;
}

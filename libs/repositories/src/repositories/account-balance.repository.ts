import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { AccountBalanceEntity } from '../entities/account-balance.entity';
import { TableRepository } from './table.repository';

export interface NewAccountBalance {
  coin: string;
  walletBalance: number;
  availableBalance: number;
  frozen?: number;
  eventTimestamp?: Date | null;
  /** Default: the database's now() (microsecond resolution, so the latest row is unambiguous). */
  receivedAt?: Date;
}

@Injectable()
export class AccountBalanceRepository extends TableRepository<AccountBalanceEntity, DataSource | EntityManager> {
  /** A DataSource, or the EntityManager of a transaction (see UnitOfWork). */
  constructor(dataSource: DataSource | EntityManager) {
    super(dataSource, AccountBalanceEntity);
  }

  /** The latest snapshot of one coin (by received_at), or null. */
  latestByCoin(coin: string): Promise<AccountBalanceEntity | null> {
    return this.repo.findOne({ where: { coin }, order: { receivedAt: 'DESC', id: 'DESC' } });
  }

  /** The latest snapshot of every coin. */
  latestAll(): Promise<AccountBalanceEntity[]> {
    return this.repo
      .createQueryBuilder('b')
      .distinctOn(['b.coin'])
      .orderBy('b.coin', 'ASC')
      .addOrderBy('b.received_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .getMany();
  }

  async insert(balance: NewAccountBalance): Promise<void> {
    await this.repo.insert(
      this.repo.create({
        frozen: 0,
        eventTimestamp: null,
        ...balance,
      }),
    );
  }
}

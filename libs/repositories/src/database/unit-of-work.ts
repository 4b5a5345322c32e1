import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { AccountBalanceRepository } from '../repositories/account-balance.repository';
import { OrderRepository } from '../repositories/order.repository';
import { PositionRepository } from '../repositories/position.repository';

/** The repositories that can take part in one transaction, bound to it. */
export class TransactionScope {
  readonly orders: OrderRepository;
  readonly positions: PositionRepository;
  readonly balances: AccountBalanceRepository;

  constructor(manager: EntityManager) {
    this.orders = new OrderRepository(manager);
    this.positions = new PositionRepository(manager);
    this.balances = new AccountBalanceRepository(manager);
  }
}

/**
 * Runs work in one database transaction: everything done through the scope's repositories commits
 * together when `work` resolves and rolls back together when it throws.
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new TransactionScope(manager)));
  }
}

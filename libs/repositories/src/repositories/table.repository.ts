import { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

import { distinctStrategyIds } from '../database/distinct-strategy-ids';
import { RecordNotFoundError } from '../errors';

/**
 * What the repositories of one table share: the DataSource (or a transaction's EntityManager, see UnitOfWork)
 * they were built on, TypeORM's repository of their entity on it, and the not-found error of a lookup.
 */
export abstract class TableRepository<E extends ObjectLiteral, S extends DataSource | EntityManager = DataSource> {
  protected constructor(
    protected readonly dataSource: S,
    protected readonly entity: EntityTarget<E>,
  ) {}

  protected get repo(): Repository<E> {
    return this.dataSource.getRepository(this.entity);
  }

  /** The row a lookup found; RecordNotFoundError "<what> not found" when it found none. */
  protected async foundOrThrow(lookup: Promise<E | null>, what: string): Promise<E> {
    const found = await lookup;
    if (!found) throw new RecordNotFoundError(`${what} not found`);
    return found;
  }
}

/** A TableRepository of a table with a strategy_id column. */
export abstract class StrategyTableRepository<E extends ObjectLiteral> extends TableRepository<E> {
  /** Every strategy that has rows in the table, sorted by code unit (as Array#sort). */
  strategyIds(): Promise<string[]> {
    return distinctStrategyIds(this.dataSource.getRepository<ObjectLiteral>(this.entity));
  }
}

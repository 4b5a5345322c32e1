import { ObjectLiteral, Repository } from 'typeorm';

/** Every strategy_id of a table once, sorted by code unit (as Array#sort, not by the database's collation). */
export async function distinctStrategyIds(repo: Repository<ObjectLiteral>): Promise<string[]> {
  const rows = await repo.createQueryBuilder('t').select('DISTINCT t.strategy_id', 'strategy_id').getRawMany<{ strategy_id: string }>();
  return rows.map((r) => r.strategy_id).sort();
}

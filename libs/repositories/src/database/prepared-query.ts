import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A hot statement run as a named prepared statement on the data source's own pool: PostgreSQL parses and
 * plans it once per pooled connection instead of on every call, and TypeORM's query runner is skipped. It
 * uses the same connections as `dataSource.query`, so the same search_path, statement timeout and client
 * time-out apply. A name must always be given the same SQL text (PostgreSQL binds it per connection).
 */
export async function preparedQuery<T extends QueryResultRow>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool | undefined;
  if (!pool) throw new Error('the data source is not initialized');
  const res = await pool.query<T>({ name, text, values });
  return res.rows;
}

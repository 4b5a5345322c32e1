import { DataSource } from 'typeorm';

import { ENTITIES } from './entity-list';
import { MIGRATIONS, MIGRATIONS_TABLE } from './migration-list';

export interface DataSourceOptions {
  /** postgres://user:pass@host:port/database */
  url: string;
  /**
   * PostgreSQL schema to work in (default: the server's search_path, i.e. `public`). Entities, the
   * migrations table and every unqualified name in the migrations resolve to it.
   */
  schema?: string;
  logging?: boolean;
  /** Pool size (default 10). */
  poolSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * PostgreSQL cancels any statement running longer (statement_timeout), and the client gives up
   * on a query this much later plus a second (query_timeout) even when the server does not answer.
   * 0 or unset = no limit (the migration CLI).
   */
  statementTimeoutMs?: number;
}

/** The client-side timeout allows the server's own cancellation to arrive first. */
const CLIENT_TIMEOUT_MARGIN_MS = 1_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws unless `schema` is a plain lower-case identifier (it goes into the connection's search_path). */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
  }
}

/**
 * The one data source factory: every entity and migration registered, `synchronize: false`.
 * Call `initialize()` on the result (RepositoriesModule and the migrate script do).
 */
export function createDataSource(opts: DataSourceOptions): DataSource {
  if (opts.schema !== undefined) assertSchemaName(opts.schema);
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    installExtensions: false,
    logging: opts.logging ?? false,
    applicationName: opts.applicationName ?? 'model-service',
    extra: {
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      ...(opts.statementTimeoutMs
        ? { statement_timeout: opts.statementTimeoutMs, query_timeout: opts.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS }
        : {}),
      // Unqualified names (raw queries, migrations) resolve to the chosen schema.
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    },
  });
}

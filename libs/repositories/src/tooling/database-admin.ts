import { Client } from 'pg';

import { assertSchemaName, createDataSource } from '../database/create-data-source';
import { ensureDatabase, splitDatabaseUrl } from '../database/ensure-database';

/** Drops and re-creates the database of `url` (a tool's own database only). */
export async function recreateDatabase(url: string): Promise<void> {
  const { database, adminUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export interface MigrationOptions {
  /** A schema other than public (created when missing). */
  schema?: string;
  /** Connection name shown by pg_stat_activity. */
  applicationName: string;
}

/** What `migrateDatabase` did. */
export interface MigrationReport {
  createdDatabase: boolean;
  createdSchema: boolean;
  /** Names of the migrations applied, in order (none when the database was up to date). */
  applied: string[];
}

/** Creates the database (and schema) when missing and applies every pending migration, each in its own transaction. */
export async function migrateDatabase(url: string, opts: MigrationOptions): Promise<MigrationReport> {
  if (opts.schema !== undefined) assertSchemaName(opts.schema);
  const createdDatabase = await ensureDatabase(url);
  const createdSchema = opts.schema !== undefined && (await ensureSchema(url, opts.schema));
  const ds = createDataSource({ url, schema: opts.schema, applicationName: opts.applicationName, poolSize: 1 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return { createdDatabase, createdSchema, applied: applied.map((m) => m.name) };
  } finally {
    await ds.destroy();
  }
}

/** Creates `schema` in the database of `url` when missing; true when it was created. */
async function ensureSchema(url: string, schema: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (rowCount) return false;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
    return true;
  } finally {
    await client.end();
  }
}

/** null when the PostgreSQL server of `url` answers (its `postgres` database), else why not. */
export async function postgresProblem(url: string, timeoutMs = 3_000): Promise<string | null> {
  const client = new Client({ connectionString: splitDatabaseUrl(url).adminUrl, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

import { Client } from 'pg';

import { createDataSource } from '../database/create-data-source';
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

/** Creates the database when missing and applies every pending migration; returns the names applied. */
export async function migrateDatabase(url: string, applicationName: string): Promise<string[]> {
  await ensureDatabase(url);
  const ds = createDataSource({ url, applicationName, poolSize: 1 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
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

import { randomBytes } from 'node:crypto';

import { createDataSource, splitDatabaseUrl } from '@model-service/repositories';
import { adminQuery, TEST_DATABASE_URL, TestDataSource } from '@model-service/repositories/testing';
import { migrateDatabase } from '@model-service/repositories/tooling';
import { escapeIdentifier } from 'pg';

/**
 * A new, migrated database of its own (for apps spawned without DATABASE_SCHEMA, which work in the
 * default schema); `drop()` removes it, disconnecting whoever is still connected. `schema` is empty.
 */
export async function createFreshDatabase(prefix: string): Promise<TestDataSource> {
  const base = new URL(TEST_DATABASE_URL);
  base.pathname = `/${prefix}_${randomBytes(5).toString('hex')}`;
  const url = base.toString();
  // Created and migrated by the one migration runner (as `npm run migrate` does), then opened for the test.
  await migrateDatabase(url, { applicationName: 'test' });
  const dataSource = createDataSource({ url, poolSize: 4, applicationName: 'test' });
  await dataSource.initialize();
  let dropped = false;
  return {
    dataSource,
    schema: '',
    url,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      if (dataSource.isInitialized) await dataSource.destroy();
      const { database } = splitDatabaseUrl(url);
      await adminQuery(url, `DROP DATABASE IF EXISTS ${escapeIdentifier(database)} WITH (FORCE)`);
    },
  };
}

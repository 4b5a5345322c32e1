import { randomBytes } from 'node:crypto';

import { TEST_DATABASE_URL } from '@model-service/util/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { createDataSource } from './database/create-data-source';
import { ensureDatabase, splitDatabaseUrl } from './database/ensure-database';
import type { DatasetRow, TrainingRow } from './repositories/execution-dataset.query';

export { ExecutionEventEntity } from './entities/execution-event.entity';
export { ModelVersionEntity } from './entities/model-version.entity';
export { PositionStateEntity } from './entities/position-state.entity';
export { QualityMetricEntity } from './entities/quality-metric.entity';
export { TradingSignalEntity } from './entities/trading-signal.entity';
export { TrainingRunEntity } from './entities/training-run.entity';

/** The PostgreSQL server tests use (DATABASE_URL, else the local default). */
export { TEST_DATABASE_URL } from '@model-service/util/testing';

export interface TestDataSource {
  /** Initialised, migrated, working in `schema`. */
  dataSource: DataSource;
  schema: string;
  url: string;
  /** Destroys the data source and drops the schema with everything in it. */
  drop(): Promise<void>;
}

export interface TestDataSourceOptions {
  /** Default: DATABASE_URL, else the local default. */
  url?: string;
  /** Run every migration (default true). */
  migrate?: boolean;
  /** Schema name prefix (default `test`); a random suffix keeps parallel tests apart. */
  prefix?: string;
  poolSize?: number;
}

/** A unique schema name such as `test_3f9a0c1d2e4b`. */
export function uniqueSchemaName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A fresh, uniquely named schema with all migrations applied: tests never see each other's rows. */
export async function createTestDataSource(options: TestDataSourceOptions = {}): Promise<TestDataSource> {
  const url = options.url ?? TEST_DATABASE_URL;
  const schema = uniqueSchemaName(options.prefix);
  await ensureDatabase(url);
  await withClient(url, (c) => c.query(`CREATE SCHEMA ${c.escapeIdentifier(schema)}`));
  const dataSource = createDataSource({ url, schema, poolSize: options.poolSize ?? 4, applicationName: 'test' });
  try {
    await dataSource.initialize();
    if (options.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropSchema(url, schema);
    throw err;
  }
  let dropped = false;
  return {
    dataSource,
    schema,
    url,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropSchema(url, schema);
    },
  };
}

/**
 * For the tests of the enclosing describe block: a fresh schema ({@link createTestDataSource}) created before them
 * and dropped after them, with what `build` makes on its DataSource (the spec's repositories; it may seed rows).
 * The returned fixture is filled in once the schema exists: read it inside hooks and tests, not while the describe
 * block is being declared.
 */
export function useTestSchema<T extends object = object>(
  options: TestDataSourceOptions = {},
  build?: (dataSource: DataSource) => T | Promise<T>,
): TestDataSource & T {
  const fixture = {} as TestDataSource & T;
  beforeAll(async () => {
    Object.assign(fixture, await createTestDataSource(options));
    Object.assign(fixture, await build?.(fixture.dataSource));
  });
  afterAll(() => fixture.drop?.());
  return fixture;
}

/** Drops a schema and everything in it (no error when it is gone). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${c.escapeIdentifier(schema)} CASCADE`));
}

/** Runs `sql` (a CREATE or DROP DATABASE) on the maintenance database of the server `url` points to. */
export async function adminQuery(url: string, sql: string): Promise<void> {
  await withClient(splitDatabaseUrl(url).adminUrl, (c) => c.query(sql));
}

/** The rows of one query on the database `url` points to, on a connection of its own (not the app's pool). */
export async function queryRows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(sql, params)).rows as T[]);
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * What a training read of `paths` (`streamTrainingColumns` through `trainingRowsOf`) gives for a full dataset row: the
 * same fields, the snapshot restricted to the non-null values at `paths` as PostgreSQL's `->` chain finds them.
 */
export function trainingRowOf(row: DatasetRow, paths: readonly (readonly string[])[]): TrainingRow {
  const snapshot: Record<string, unknown> = {};
  for (const path of paths) {
    let v: unknown = row.marketDataSnapshot;
    for (const key of path) v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
    if (v === null || v === undefined) continue;
    let parent = snapshot;
    for (const key of path.slice(0, -1)) parent = (parent[key] ??= {}) as Record<string, unknown>;
    parent[path[path.length - 1]] = v;
  }
  return {
    asset: row.asset,
    signalType: row.signalType,
    signalTimestamp: row.signalTimestamp,
    modelVersion: row.modelVersion,
    isWarmup: row.isWarmup,
    side: row.side,
    executionPrice: row.executionPrice,
    executionQuantity: row.executionQuantity,
    executionFees: row.executionFees,
    executedAt: row.executedAt,
    isPartialFill: row.isPartialFill,
    marketDataSnapshot: snapshot,
  };
}

/**
 * npm run migrate                      apply every pending migration
 * npm run migrate:revert               revert the last applied migration
 * npm run migrate:revert -- --all      revert every applied migration
 * npm run migrate:revert -- --steps 2  revert the last two
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/model_service); the database is created
 * when missing. DATABASE_SCHEMA optionally selects a schema other than public (created when missing).
 * Exits non-zero on any failure.
 */
import 'reflect-metadata';

import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';

import { assertSchemaName, createDataSource, ensureDatabase, redactUrl } from '@model-service/repositories';
import { migrateDatabase } from '@model-service/repositories/tooling';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/model_service';

interface Args {
  direction: 'up' | 'down';
  steps: number;
}

function readArgs(argv: string[]): Args {
  const { values, positionals } = parseArgs({ args: argv, options: { all: { type: 'boolean' }, steps: { type: 'string' } }, strict: true, allowPositionals: true });
  const [direction, ...extra] = positionals;
  if ((direction !== 'up' && direction !== 'down') || extra.length > 0) {
    throw new Error(`usage: migrate.ts up | down [--all | --steps N]  (got ${JSON.stringify(positionals.join(' '))})`);
  }
  if (direction === 'up' && (values.all || values.steps !== undefined)) throw new Error('up takes no options: it applies every pending migration');
  if (values.all && values.steps !== undefined) throw new Error('give --all or --steps, not both');
  const steps = values.all ? Number.POSITIVE_INFINITY : Number(values.steps ?? 1);
  if (steps !== Number.POSITIVE_INFINITY && (!Number.isInteger(steps) || steps < 1)) throw new Error('--steps needs a positive integer');
  return { direction, steps };
}

async function up(url: string, schema: string | undefined, target: string): Promise<void> {
  console.log(`migrate: migrating ${target}`);
  const report = await migrateDatabase(url, { schema, applicationName: 'model-service-migrate' });
  if (report.createdDatabase) console.log(`migrate: created database ${target}`);
  if (report.createdSchema) console.log(`migrate: created schema ${schema}`);
  if (report.applied.length === 0) console.log('migrate: database is up to date, nothing to apply');
  for (const name of report.applied) console.log(`migrate: applied ${name}`);
}

async function down(ds: DataSource, steps: number): Promise<void> {
  const table = ds.options.migrationsTableName ?? 'migrations';
  const [{ present }]: Array<{ present: string | null }> = await ds.query('SELECT to_regclass($1) AS present', [table]);
  let reverted = 0;
  while (present && reverted < steps) {
    const executed: Array<{ name: string }> = await ds.query(
      `SELECT name FROM ${ds.driver.escape(table)} ORDER BY id DESC LIMIT 1`,
    );
    const last = executed[0];
    if (!last) break;
    await ds.undoLastMigration({ transaction: 'each' });
    console.log(`migrate: reverted ${last.name}`);
    reverted++;
  }
  if (reverted === 0) console.log('migrate: no applied migration to revert');
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const url = process.env['DATABASE_URL'] || DEFAULT_URL;
  const schema = process.env['DATABASE_SCHEMA'] || undefined;
  if (schema) assertSchemaName(schema);
  const target = `${redactUrl(url)}${schema ? ` (schema ${schema})` : ''}`;
  if (args.direction === 'up') return up(url, schema, target);
  // A missing schema has nothing to revert (down finds no migrations table there).
  if (await ensureDatabase(url)) console.log(`migrate: created database ${target}`);
  const ds = createDataSource({ url, schema, applicationName: 'model-service-migrate', poolSize: 1 });
  await ds.initialize();
  try {
    console.log(`migrate: reverting ${target}`);
    await down(ds, args.steps);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(`migrate: FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

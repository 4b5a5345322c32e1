import { MIGRATIONS, MIGRATIONS_TABLE } from '../database/migration-list';
import { dropSchema, queryRows, TEST_DATABASE_URL, uniqueSchemaName } from '../testing';
import { migrateDatabase } from './database-admin';

const url = TEST_DATABASE_URL;

describe('migrateDatabase (npm run migrate, the demo)', () => {
  const schema = uniqueSchemaName('admin');
  afterAll(() => dropSchema(url, schema));

  it('creates a missing schema, applies every migration there once, and reports what it did', async () => {
    const first = await migrateDatabase(url, { schema, applicationName: 'admin-spec' });
    expect(first.createdDatabase).toBe(false);
    expect(first.createdSchema).toBe(true);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.name));
    const tables = await queryRows<{ table_name: string }>(url, 'SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['trading_signals', 'execution_events', MIGRATIONS_TABLE]));

    const again = await migrateDatabase(url, { schema, applicationName: 'admin-spec' });
    expect(again).toEqual({ createdDatabase: false, createdSchema: false, applied: [] });
  });

  it('refuses a schema name that is not a plain identifier before touching the database', async () => {
    await expect(migrateDatabase(url, { schema: 'x; DROP TABLE y', applicationName: 'admin-spec' })).rejects.toThrow(/schema/i);
  });
});

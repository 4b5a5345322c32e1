import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { createTestDataSource, TestDataSource } from '../testing';
import { TradingSignalRepository } from '../repositories/trading-signal.repository';
import { createDataSource } from './create-data-source';

/** statement_timeout on every pooled connection: one slow query cannot pin the database. */
describe('statement timeout (real PostgreSQL)', () => {
  let t: TestDataSource;
  let limited: DataSource;

  beforeAll(async () => {
    t = await createTestDataSource({ prefix: 'test_stmt' });
    limited = createDataSource({ url: t.url, schema: t.schema, poolSize: 2, statementTimeoutMs: 300 });
    await limited.initialize();
  });
  afterAll(async () => {
    if (limited?.isInitialized) await limited.destroy();
    await t?.drop();
  });

  it('cuts a pg_sleep(10) at the timeout', async () => {
    const started = Date.now();
    await expect(limited.query('SELECT pg_sleep(10)')).rejects.toMatchObject({ code: '57014' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('cuts a repository query that waits behind a lock, and the pool keeps working', async () => {
    const locker = new Client({ connectionString: t.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${locker.escapeIdentifier(t.schema)}.trading_signals IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      await expect(new TradingSignalRepository(limited).list({}, 10, 0)).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await expect(new TradingSignalRepository(limited).list({}, 10, 0)).resolves.toMatchObject({ total: 0 });
  });

  it('leaves connections without a timeout unlimited (the migration CLI)', async () => {
    await expect(t.dataSource.query("SELECT current_setting('statement_timeout') AS v")).resolves.toEqual([{ v: '0' }]);
    await expect(limited.query("SELECT current_setting('statement_timeout') AS v")).resolves.toEqual([{ v: '300ms' }]);
  });
});

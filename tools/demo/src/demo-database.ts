import { createDataSource, ensureDatabase, splitDatabaseUrl } from '@model-service/repositories';
import { Client, type ClientBase } from 'pg';

/** Drops and re-creates the database of `url` (the demo's own database only). */
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
export async function migrate(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const ds = createDataSource({ url, applicationName: 'model-service-demo-migrate', poolSize: 1 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

export interface LoopBacklog {
  signalsWithoutOrder: number;
  pendingOrders: number;
  fillsNotStored: number;
}

/** Counts that say whether the loop has settled: every stored signal has an order, nothing pending, every fill stored by the trainer. */
export async function loopBacklog(db: ClientBase): Promise<LoopBacklog> {
  const { rows } = await db.query(`
    SELECT
      (SELECT count(*) FROM trading_signals s WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.signal_id = s.signal_id)) AS signals_without_order,
      (SELECT count(*) FROM orders WHERE status IN ('pending', 'partially_filled')) AS pending_orders,
      (SELECT count(*) FROM orders o WHERE o.status = 'filled' AND NOT EXISTS (SELECT 1 FROM execution_events e WHERE e.order_id = o.order_id)) AS fills_not_stored`);
  const r = rows[0] as Record<string, string>;
  return { signalsWithoutOrder: Number(r['signals_without_order']), pendingOrders: Number(r['pending_orders']), fillsNotStored: Number(r['fills_not_stored']) };
}

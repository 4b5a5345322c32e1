import { migrateDatabase, type ReadConnection } from '@model-service/repositories/tooling';

export { recreateDatabase } from '@model-service/repositories/tooling';

/** Creates the database when missing and applies every pending migration; returns the names applied. */
export async function migrate(url: string): Promise<string[]> {
  return (await migrateDatabase(url, { applicationName: 'model-service-demo-migrate' })).applied;
}

export interface LoopBacklog {
  signalsWithoutOrder: number;
  pendingOrders: number;
  fillsNotStored: number;
}

/** Counts that say whether the loop has settled: every stored signal has an order, nothing pending, every fill stored by the trainer. */
export async function loopBacklog(db: ReadConnection): Promise<LoopBacklog> {
  const { rows } = await db.query(`
    SELECT
      (SELECT count(*) FROM trading_signals s WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.signal_id = s.signal_id)) AS signals_without_order,
      (SELECT count(*) FROM orders WHERE status IN ('pending', 'partially_filled')) AS pending_orders,
      (SELECT count(*) FROM orders o WHERE o.status = 'filled' AND NOT EXISTS (SELECT 1 FROM execution_events e WHERE e.order_id = o.order_id)) AS fills_not_stored`);
  const r = rows[0] as Record<string, string>;
  return { signalsWithoutOrder: Number(r['signals_without_order']), pendingOrders: Number(r['pending_orders']), fillsNotStored: Number(r['fills_not_stored']) };
}

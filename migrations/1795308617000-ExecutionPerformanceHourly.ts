import { MigrationInterface, QueryRunner } from 'typeorm';

/** UTC hour of an execution, as timestamptz. */
const HOUR = `date_trunc('hour', executed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

/** Per-(strategy, hour) sums of a transition table, signed (+1 added rows, -1 removed rows). */
const deltas = (table: string, sign: 1 | -1): string => `
  SELECT strategy_id, ${HOUR} AS hour,
         ${sign} * count(*) AS total_orders,
         ${sign} * count(*) FILTER (WHERE realized_pnl > 0) AS successful_orders,
         ${sign} * count(realized_pnl) AS closed_orders,
         ${sign} * coalesce(sum(realized_pnl), 0) AS total_pnl
    FROM ${table}
   WHERE strategy_id IS NOT NULL
   GROUP BY 1, 2`;

/** Adds the summed rows of `source` into the roll-up (removed rows come in negative). */
const apply = (source: string): string => `
  INSERT INTO execution_performance_hourly AS h (strategy_id, hour, total_orders, successful_orders, closed_orders, total_pnl)
  SELECT strategy_id, hour, sum(total_orders), sum(successful_orders), sum(closed_orders), sum(total_pnl)
    FROM (${source}) d
   GROUP BY 1, 2
  ON CONFLICT (strategy_id, hour) DO UPDATE SET
    total_orders = h.total_orders + excluded.total_orders,
    successful_orders = h.successful_orders + excluded.successful_orders,
    closed_orders = h.closed_orders + excluded.closed_orders,
    total_pnl = h.total_pnl + excluded.total_pnl`;

/**
 * execution_performance_hourly: the performance figures of execution_events summed per strategy and UTC
 * hour, kept exact by statement-level triggers (one aggregate per INSERT / COPY / UPDATE / DELETE
 * statement through transition tables, so a batch insert costs one upsert per hour it touches, and an
 * INSERT … ON CONFLICT DO NOTHING counts only the rows it stored). The performance time series reads
 * whole hours from here and only the partial hours at the edges of its window from execution_events,
 * so its cost follows the window, not the table's size.
 */
export class ExecutionPerformanceHourly1795308617000 implements MigrationInterface {
  name = 'ExecutionPerformanceHourly1795308617000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE execution_performance_hourly (
        strategy_id varchar(128) NOT NULL,
        hour timestamptz NOT NULL,
        total_orders bigint NOT NULL,
        successful_orders bigint NOT NULL,
        closed_orders bigint NOT NULL,
        total_pnl numeric NOT NULL,
        PRIMARY KEY (strategy_id, hour)
      )`);
    await q.query(`
      CREATE FUNCTION execution_performance_hourly_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(deltas('new_rows', 1))}; RETURN NULL; END $$`);
    await q.query(`
      CREATE FUNCTION execution_performance_hourly_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(deltas('old_rows', -1))}; RETURN NULL; END $$`);
    await q.query(`
      CREATE FUNCTION execution_performance_hourly_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(`${deltas('new_rows', 1)} UNION ALL ${deltas('old_rows', -1)}`)}; RETURN NULL; END $$`);
    await q.query(`
      CREATE FUNCTION execution_performance_hourly_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN TRUNCATE execution_performance_hourly; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER trg_execution_performance_hourly_ins AFTER INSERT ON execution_events
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION execution_performance_hourly_inserted()`);
    await q.query(`CREATE TRIGGER trg_execution_performance_hourly_del AFTER DELETE ON execution_events
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION execution_performance_hourly_deleted()`);
    await q.query(`CREATE TRIGGER trg_execution_performance_hourly_upd AFTER UPDATE ON execution_events
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION execution_performance_hourly_updated()`);
    await q.query(`CREATE TRIGGER trg_execution_performance_hourly_trunc AFTER TRUNCATE ON execution_events
      FOR EACH STATEMENT EXECUTE FUNCTION execution_performance_hourly_truncated()`);
    // Backfill what is already there (taken after the triggers exist, inside the migration's transaction).
    await q.query(apply(deltas('execution_events', 1)));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['ins', 'del', 'upd', 'trunc']) await q.query(`DROP TRIGGER trg_execution_performance_hourly_${t} ON execution_events`);
    for (const f of ['inserted', 'deleted', 'updated', 'truncated']) await q.query(`DROP FUNCTION execution_performance_hourly_${f}()`);
    await q.query(`DROP TABLE execution_performance_hourly`);
  }
}

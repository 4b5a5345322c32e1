import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * account_balances, orders and positions belong to the neighbour services (position-manager,
 * order-manager). So that this service also runs standalone, each is created here only when it does not
 * exist yet. Which ones this migration created is recorded in `model_service_created_tables`, and `down`
 * drops exactly those: a table that already existed is never altered or dropped.
 */
const MARKER_TABLE = 'model_service_created_tables';

const NEIGHBOUR_TABLES: ReadonlyArray<{ name: string; ddl: readonly string[] }> = [
  {
    name: 'account_balances',
    ddl: [
      `CREATE TABLE IF NOT EXISTS account_balances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        coin varchar(20) NOT NULL,
        wallet_balance numeric NOT NULL,
        available_balance numeric NOT NULL,
        frozen numeric NOT NULL DEFAULT 0,
        event_timestamp timestamptz NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX IF NOT EXISTS idx_account_balances_coin_received ON account_balances (coin, received_at DESC)`,
    ],
  },
  {
    name: 'orders',
    ddl: [
      `CREATE TABLE IF NOT EXISTS orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id varchar(100) NOT NULL,
        signal_id uuid NULL,
        strategy_id varchar(100) NULL,
        asset varchar(30) NOT NULL,
        side varchar(10) NOT NULL,
        order_type varchar(20) NOT NULL,
        quantity numeric NOT NULL,
        price numeric NULL,
        status varchar(20) NOT NULL,
        filled_quantity numeric NOT NULL DEFAULT 0,
        average_price numeric NULL,
        fees numeric NOT NULL DEFAULT 0,
        rejection_reason text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_orders_order_id UNIQUE (order_id),
        CONSTRAINT chk_orders_status
          CHECK (status IN ('pending', 'partially_filled', 'filled', 'cancelled', 'rejected'))
      )`,
      `CREATE INDEX IF NOT EXISTS idx_orders_asset_status ON orders (asset, status)`,
    ],
  },
  {
    name: 'positions',
    ddl: [
      `CREATE TABLE IF NOT EXISTS positions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset varchar(30) NOT NULL,
        strategy_id varchar(100) NULL,
        size numeric NOT NULL DEFAULT 0,
        average_entry_price numeric NOT NULL DEFAULT 0,
        current_price numeric NOT NULL DEFAULT 0,
        unrealized_pnl numeric NOT NULL DEFAULT 0,
        unrealized_pnl_pct double precision NOT NULL DEFAULT 0,
        realized_pnl numeric NOT NULL DEFAULT 0,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX IF NOT EXISTS uq_positions_asset_strategy ON positions (asset, (COALESCE(strategy_id, '')))`,
    ],
  },
];

export class CreateNeighbourTablesIfMissing1795308600300 implements MigrationInterface {
  name = 'CreateNeighbourTablesIfMissing1795308600300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (
        table_name varchar(63) PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `COMMENT ON TABLE ${MARKER_TABLE} IS 'Neighbour tables created by model-service migration CreateNeighbourTablesIfMissing; its down drops only these.'`,
    );
    for (const table of NEIGHBOUR_TABLES) {
      // Resolved in the schema CREATE TABLE would use (the first one on the search_path).
      const existing: unknown[] = await q.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`,
        [table.name],
      );
      if (existing.length > 0) continue;
      for (const statement of table.ddl) await q.query(statement);
      await q.query(`INSERT INTO ${MARKER_TABLE} (table_name) VALUES ($1) ON CONFLICT DO NOTHING`, [table.name]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const created: Array<{ table_name: string }> = await q.query(`SELECT table_name FROM ${MARKER_TABLE}`);
    const names = new Set(created.map((r) => r.table_name));
    for (const table of [...NEIGHBOUR_TABLES].reverse()) {
      if (names.has(table.name)) await q.query(`DROP TABLE IF EXISTS ${table.name}`);
    }
    await q.query(`DROP TABLE ${MARKER_TABLE}`);
  }
}

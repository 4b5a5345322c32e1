import { randomBytes } from 'node:crypto';

import { DataSource } from 'typeorm';

import { adminQuery, createTestDataSource, TEST_DATABASE_URL, TestDataSource } from '../testing';
import { createDataSource } from './create-data-source';
import { ensureDatabase } from './ensure-database';
import { MIGRATIONS } from './migration-list';

const BASE_URL = TEST_DATABASE_URL;
const OWNED = ['model_versions', 'model_quality_metrics', 'trading_signals', 'execution_events', 'training_runs', 'position_states', 'strategy_warmup_clocks'];
const NEIGHBOURS = ['account_balances', 'orders', 'positions'];

async function tables(ds: DataSource): Promise<string[]> {
  const rows: Array<{ table_name: string }> = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function indexes(ds: DataSource): Promise<string[]> {
  const rows: Array<{ indexname: string }> = await ds.query(
    `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`,
  );
  return rows.map((r) => r.indexname);
}

describe('migrations on a fresh database', () => {
  const dbName = `ms_migrate_${randomBytes(5).toString('hex')}`;
  const url = (() => {
    const u = new URL(BASE_URL);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  let ds: DataSource;

  beforeAll(async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false); // second call finds it
    ds = createDataSource({ url, poolSize: 2 });
    await ds.initialize();
  });

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await adminQuery(BASE_URL, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  });

  it('goes up, all the way down, and up again', async () => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
    expect(await tables(ds)).toEqual(expect.arrayContaining([...OWNED, ...NEIGHBOURS]));
    expect(await indexes(ds)).toEqual(
      expect.arrayContaining([
        'idx_trading_signals_timestamp',
        'idx_trading_signals_strategy_id',
        'idx_trading_signals_asset',
        'uq_trading_signals_signal_id',
        'uq_execution_events_event_id',
        'idx_execution_events_executed_at',
        'idx_execution_events_signal_id',
        'idx_execution_events_strategy_executed',
        'uq_model_versions_version',
        'uq_model_versions_one_active_per_strategy',
      ]),
    );
    expect(await ds.showMigrations()).toBe(false); // nothing pending

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual(['model_service_migrations']);

    const again = await ds.runMigrations({ transaction: 'each' });
    expect(again).toHaveLength(MIGRATIONS.length);
    expect(await tables(ds)).toEqual(expect.arrayContaining([...OWNED, ...NEIGHBOURS]));
  });
});

describe('neighbour tables that already exist', () => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await createTestDataSource({ migrate: false });
    // The order manager's own orders table, with a different shape and a row: it must be left alone.
    await t.dataSource.query(`CREATE TABLE orders (order_id text PRIMARY KEY, venue text NOT NULL)`);
    await t.dataSource.query(`INSERT INTO orders VALUES ('ext-1', 'bybit')`);
  });

  afterAll(() => t?.drop());

  it('are neither altered on the way up nor dropped on the way down; missing ones come and go', async () => {
    await t.dataSource.runMigrations({ transaction: 'each' });
    const orderColumns: Array<{ column_name: string }> = await t.dataSource.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'orders' ORDER BY column_name`,
    );
    expect(orderColumns.map((c) => c.column_name)).toEqual(['order_id', 'venue']);
    expect(await tables(t.dataSource)).toEqual(expect.arrayContaining(['account_balances', 'positions']));

    for (let i = 0; i < MIGRATIONS.length; i++) await t.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables(t.dataSource)).toEqual(['model_service_migrations', 'orders']);
    expect(await t.dataSource.query(`SELECT order_id, venue FROM orders`)).toEqual([
      { order_id: 'ext-1', venue: 'bybit' },
    ]);

    await t.dataSource.runMigrations({ transaction: 'each' });
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM orders`)).toEqual([{ n: 1 }]);
  });
});

describe('id columns as long as the contracts allow (WidenIdColumns)', () => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await createTestDataSource();
  });

  afterAll(() => t?.drop());

  const lengths = async (): Promise<Record<string, number>> => {
    const rows: Array<{ c: string; n: number }> = await t.dataSource.query(
      `SELECT table_name || '.' || column_name AS c, character_maximum_length AS n FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name IN ('event_id', 'order_id', 'trace_id', 'position_id', 'version', 'parent_version', 'model_version')
          AND table_name IN ('execution_events', 'trading_signals', 'training_runs', 'model_versions', 'position_states')`,
    );
    return Object.fromEntries(rows.map((r) => [r.c, r.n]));
  };
  /** Undoes the migrations that came after WidenIdColumns, so the next undo is WidenIdColumns itself. */
  const undoLater = async (): Promise<void> => {
    const later = MIGRATIONS.length - 1 - MIGRATIONS.findIndex((M) => new M().name === 'WidenIdColumns1795308618000');
    for (let i = 0; i < later; i++) await t.dataSource.undoLastMigration({ transaction: 'each' });
  };

  it('widens every owned id column to 128 (LIMITS.MAX_ID_LENGTH); down narrows back, and refuses while a longer id is stored', async () => {
    const up = await lengths();
    expect(Object.keys(up)).toHaveLength(10);
    expect(new Set(Object.values(up))).toEqual(new Set([128]));

    await undoLater();
    await t.dataSource.undoLastMigration({ transaction: 'each' });
    expect(new Set(Object.values(await lengths()))).toEqual(new Set([100]));
    await t.dataSource.runMigrations({ transaction: 'each' });
    expect(new Set(Object.values(await lengths()))).toEqual(new Set([128]));

    await t.dataSource.query(
      `INSERT INTO execution_events (event_id, order_id, strategy_id, asset, side, execution_price, execution_quantity, executed_at)
       VALUES ($1, 'o', 's', 'BTCUSDT', 'buy', 1, 1, now())`,
      ['e'.repeat(128)],
    );
    await undoLater();
    await expect(t.dataSource.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/too long/);
    expect(new Set(Object.values(await lengths()))).toEqual(new Set([128])); // nothing half-narrowed
  });
});

describe('schema constraints', () => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await createTestDataSource();
  });

  afterAll(() => t?.drop());

  const insertVersion = (version: string, strategy: string, active: boolean) =>
    t.dataSource.query(
      `INSERT INTO model_versions (version, strategy_id, model_type, feature_set_version, file_path, checksum, is_active, status)
       VALUES ($1, $2, 'mlp', 'fs1', '/models/x', 'abc', $3, $4)`,
      [version, strategy, active, active ? 'active' : 'candidate'],
    );

  it('the partial unique index refuses a second active version of a strategy, not of another strategy', async () => {
    await insertVersion('s1-v1', 's1', true);
    await expect(insertVersion('s1-v2', 's1', true)).rejects.toThrow(/uq_model_versions_one_active_per_strategy/);
    await insertVersion('s1-v3', 's1', false); // inactive ones are unlimited
    await insertVersion('s2-v1', 's2', true); // another strategy has its own active version
    const active: Array<{ version: string }> = await t.dataSource.query(
      `SELECT version FROM model_versions WHERE is_active ORDER BY version`,
    );
    expect(active.map((r) => r.version)).toEqual(['s1-v1', 's2-v1']);
  });

  it('version is unique', async () => {
    await insertVersion('dup', 's3', false);
    await expect(insertVersion('dup', 's3', false)).rejects.toThrow(/uq_model_versions_version/);
  });

  it('execution_events.event_id and trading_signals.signal_id are unique', async () => {
    const ev = `INSERT INTO execution_events (event_id, order_id, strategy_id, asset, side, execution_price,
                  execution_quantity, executed_at) VALUES ('e1', 'o1', 's', 'BTCUSDT', 'buy', 1, 1, now())`;
    await t.dataSource.query(ev);
    await expect(t.dataSource.query(ev)).rejects.toThrow(/uq_execution_events_event_id/);
    const sig = `INSERT INTO trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp")
                 VALUES ('6f1c1a52-4a8e-4a43-9a55-2b1f0c7e9d11', 's', 'BTCUSDT', 'buy', 10, 0.5, now())`;
    await t.dataSource.query(sig);
    await expect(t.dataSource.query(sig)).rejects.toThrow(/uq_trading_signals_signal_id/);
  });

  it('unknown statuses and triggers are refused', async () => {
    await expect(
      t.dataSource.query(`INSERT INTO training_runs (strategy_id, "trigger") VALUES ('s', 'whim')`),
    ).rejects.toThrow(/chk_training_runs_trigger/);
    await expect(
      t.dataSource.query(`INSERT INTO training_runs (strategy_id, "trigger", status) VALUES ('s', 'manual', 'done')`),
    ).rejects.toThrow(/chk_training_runs_status/);
  });
});

describe("the original service's trading_signals columns and metric names", () => {
  let t: TestDataSource;
  const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> => t.dataSource.query(sql, params);
  const columns = async (): Promise<string[]> =>
    (
      await q<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'trading_signals'`,
      )
    ).map((c) => c.column_name);
  const metricNames = async (): Promise<string[]> =>
    (await q<{ k: string }>(`SELECT metric_type || ':' || metric_name AS k FROM model_quality_metrics ORDER BY 1`)).map((r) => r.k);

  /** How many migrations to undo to be back before TradingSignalSideAndPrice (it and any later ones). */
  const sinceSideAndPrice = (): number => MIGRATIONS.length - MIGRATIONS.findIndex((M) => new M().name === 'TradingSignalSideAndPrice1795308619300');

  beforeAll(async () => {
    t = await createTestDataSource({ migrate: false });
    // Everything up to the new migrations, with rows as the earlier code wrote them.
    await t.dataSource.runMigrations({ transaction: 'each' });
    for (let i = 0; i < sinceSideAndPrice(); i++) await t.dataSource.undoLastMigration({ transaction: 'each' });
    await q(
      `INSERT INTO trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp", market_data_snapshot)
       VALUES ('6f1c1a52-4a8e-4a43-9a55-2b1f0c7e9d12', 'momentum_v1', 'BTCUSDT', 'buy', 100, 0.7, '2026-01-01T00:00:00Z', '{"price": 50000.5, "spread": 1}'),
              ('6f1c1a52-4a8e-4a43-9a55-2b1f0c7e9d13', 'momentum_v1', 'BTCUSDT', 'sell', 100, 0.6, '2026-01-01T00:01:00Z', '{}')`,
    );
    await q(
      `INSERT INTO model_versions (id, version, strategy_id, model_type, feature_set_version, file_path, checksum, is_active, status)
       VALUES ('550e8400-e29b-41d4-a716-446655440000', 'v1', 'momentum_v1', 'mlp', 'fs1', '/models/v1', 'abc', false, 'candidate')`,
    );
    await q(
      `INSERT INTO model_quality_metrics (model_version_id, strategy_id, metric_name, metric_value, metric_type, evaluated_at)
       SELECT '550e8400-e29b-41d4-a716-446655440000', 'momentum_v1', n, 0.5, ty, now()
         FROM (VALUES ('f1', 'classification'), ('accuracy', 'classification'), ('sharpe', 'trading'), ('total_return', 'trading'), ('baseline_f1', 'live')) AS v(n, ty)`,
    );
  });

  afterAll(() => t?.drop());

  it('go up, down and up again; the Grafana-style SQL of the original runs on the way up', async () => {
    const before = await metricNames();
    expect(before).toEqual(['classification:accuracy', 'classification:f1', 'live:baseline_f1', 'trading:sharpe', 'trading:total_return']);
    expect(await columns()).not.toContain('side');

    const up = async (): Promise<void> => {
      await t.dataSource.runMigrations({ transaction: 'each' });
      expect(await columns()).toEqual(expect.arrayContaining(['side', 'price']));
      // As the original's panels query it.
      const rows = await q<{ side: string; price: string | null }>(
        `SELECT side, price FROM trading_signals WHERE strategy_id = 'momentum_v1' AND "timestamp" >= '2025-12-31' ORDER BY "timestamp"`,
      );
      expect(rows).toEqual([
        { side: 'buy', price: '50000.5' },
        { side: 'sell', price: null },
      ]);
      expect(await metricNames()).toEqual([
        'classification:accuracy',
        'classification:f1_score',
        'live:baseline_f1_score',
        'trading_performance:sharpe_ratio',
        'trading_performance:total_pnl',
      ]);
    };

    await up();
    // A row written after the migration gets its side and price from what the writer stores.
    await q(
      `INSERT INTO trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp", market_data_snapshot)
       VALUES ('6f1c1a52-4a8e-4a43-9a55-2b1f0c7e9d14', 'other', 'ETHUSDT', 'sell', 10, 0.5, now(), '{"price": 3000}')`,
    );
    expect(await q(`SELECT side, price FROM trading_signals WHERE strategy_id = 'other'`)).toEqual([{ side: 'sell', price: '3000' }]);
    await q(`DELETE FROM trading_signals WHERE strategy_id = 'other'`);

    for (let i = 0; i < sinceSideAndPrice(); i++) await t.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await columns()).not.toEqual(expect.arrayContaining(['side']));
    expect(await columns()).not.toEqual(expect.arrayContaining(['price']));
    expect(await metricNames()).toEqual(before);

    await up();
  });
});

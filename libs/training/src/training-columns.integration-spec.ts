import { randomUUID } from 'node:crypto';

import { SNAPSHOT_FEATURE_PATHS, SNAPSHOT_FEATURE_TYPES } from '@model-service/features';
import { randomSnapshot, seededRandom } from '@model-service/features/testing';
import { DatasetRow, ExecutionEventRepository, TrainingColumns, trainingRowsOf } from '@model-service/repositories';
import { queryRows, trainingRowOf, useTestSchema } from '@model-service/repositories/testing';

import { DatasetSource, loadExecutionDataset } from './execution-dataset.loader';

const T0 = Date.UTC(2026, 3, 1);
const LABELS = { horizonMs: 5 * 60_000, exitFeeRate: 0.001, minReturn: 0 };

/** Snapshots (JSON texts) the stored column cannot hold as numbers: the reader takes their values from the snapshot. */
const ODD = [
  '{"price": " 101.5 ", "spread": 0.1}',
  '{"price": 100, "has_position": "true"}',
  '{"price": 100, "has_position": 1, "position_size_norm": 0.5}',
  '{"price": 100, "technical_indicators": {"return_5": "0.01", "rsi_14": [50]}}',
  '{"price": 100, "orderbook_depth": {"bid_depth": true, "ask_depth": 2}}',
  '{"price": 100, "volatility": 1e-320}', // subnormal: float8in refuses what JSON.parse reads
  '{"price": 100, "volume_24h": 2e308}', // beyond a double
  '{"price": 100, "spread": {"v": 1}}',
];

/** Numbers the column holds: a JSON number is stored as the double nearest to it, as JSON.parse reads it. */
const EXACT: unknown[] = [
  { price: 0.1, spread: 1e308, volatility: 1e-307, volume_24h: 0, open_orders_count: -0 },
  { price: 12345.678901234567, technical_indicators: { return_1: -0.30000000000000004, rsi_14: 33.333333333333336 } },
  { price: 100, orderbook_depth: 'deep', technical_indicators: 5, has_position: false },
  { price: 100, orderbook_depth: null, technical_indicators: [1, 2], has_position: null },
  [1, 2, 3],
  'just text',
  null,
];

/** Sent as float8 (converted by PostgreSQL), except the last, which float8 cannot hold as a normal number: sent as text. */
const PRICES = ['50000.12345678', '25941.597355902195', '0.0038548127406367342', '123456789012345678.5', '99999999999999.99', '7', `0.${'0'.repeat(309)}17`];

describe('training rows read with binary COPY (real PostgreSQL)', () => {
  const t = useTestSchema({ prefix: 'train_cols' }, (dataSource) => ({ events: new ExecutionEventRepository(dataSource) }));
  const RANDOM = 120;
  let texts: string[];

  beforeAll(async () => {
    const rand = seededRandom(5);
    texts = [...Array.from({ length: RANDOM }, () => JSON.stringify(randomSnapshot(rand, 0.3))), ...ODD, ...EXACT.map((s) => JSON.stringify(s))];
    let i = 0;
    for (const text of texts) {
      const signalId = randomUUID();
      const ts = new Date(T0 + i * 30_000 + (i % 3)).toISOString();
      const modelVersion = i % 4 === 0 ? null : 'v1';
      await t.dataSource.query(
        `INSERT INTO trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp", model_version, is_warmup, market_data_snapshot)
         VALUES ($1, 'cols', $2, $3, 10, 0.5, $4::timestamptz, $5, $6, $7::jsonb)`,
        [signalId, i % 5 === 0 ? 'ETHUSDT' : 'BTCUSDT', i % 2 ? 'sell' : 'buy', ts, modelVersion, i % 8 === 0, text],
      );
      await t.dataSource.query(
        `INSERT INTO execution_events (event_id, order_id, signal_id, strategy_id, asset, side, execution_price, execution_quantity, execution_fees, executed_at, is_partial_fill)
         VALUES ($1, $2, $3, 'cols', 'BTCUSDT', $4, $5::numeric, 0.002, 0.055, $6::timestamptz, $7)`,
        [`e-${i}`, `o-${i}`, signalId, i % 2 ? 'sell' : 'buy', PRICES[i % PRICES.length], new Date(T0 + i * 30_000 + 1_000).toISOString().replace('Z', '999Z'), i % 9 === 0],
      );
      i++;
    }
  });

  async function columns(batchSize = 16): Promise<TrainingColumns[]> {
    const out: TrainingColumns[] = [];
    for await (const c of t.events.streamTrainingColumns({ strategyId: 'cols' }, { snapshotPaths: SNAPSHOT_FEATURE_PATHS, batchSize })) out.push(c);
    return out;
  }

  it('the migrated column holds exactly SNAPSHOT_FEATURE_PATHS, typed as SNAPSHOT_FEATURE_TYPES (a new path needs a new migration)', async () => {
    const [row] = await queryRows<{ comment: string }>(
      t.url,
      `SELECT col_description(a.attrelid, a.attnum) AS comment FROM pg_attribute a
        WHERE a.attrelid = to_regclass($1) AND a.attname = 'snapshot_feature_values'`,
      [`${t.schema}.trading_signals`],
    );
    expect(JSON.parse(row.comment)).toEqual({ paths: SNAPSHOT_FEATURE_PATHS, types: SNAPSHOT_FEATURE_TYPES });
  });

  it('gives every row and field as the full dataset rows do: stored values where they are numbers, the snapshot for the rest', async () => {
    const batches = await columns();
    expect(batches.slice(0, -1).every((c) => c.length === 16)).toBe(true);
    const full: DatasetRow[] = [];
    for await (const rows of t.events.streamDataset({ strategyId: 'cols' })) full.push(...rows);
    const lean = batches.flatMap((c) => trainingRowsOf(c));
    expect(lean).toHaveLength(texts.length);
    const fromSnapshot = batches.flatMap((c) => Array.from({ length: c.length }, (_, i) => c.snapshots?.[i] !== undefined));
    lean.forEach((r, i) => {
      expect(r).toEqual(trainingRowOf(full[i], SNAPSHOT_FEATURE_PATHS));
      // Exactly the odd snapshots are read from the snapshot.
      expect({ i, fromSnapshot: fromSnapshot[i] }).toEqual({ i, fromSnapshot: i >= RANDOM && i < RANDOM + ODD.length });
    });
    expect(new Set(lean.map((r) => r.executionPrice))).toEqual(new Set(PRICES.map(Number)));
  });

  it('builds the same dataset from the stored values as from the snapshots themselves', async () => {
    const repository: DatasetSource = t.events;
    const snapshotsOnly: DatasetSource = {
      async *streamTrainingColumns(q, o) {
        for await (const c of t.events.streamTrainingColumns(q, o)) yield { ...c, snapshots: trainingRowsOf(c).map((r) => r.marketDataSnapshot) };
      },
    };
    const a = await loadExecutionDataset(repository, { strategyId: 'cols' }, { labels: LABELS, batchSize: 7 });
    const b = await loadExecutionDataset(snapshotsOnly, { strategyId: 'cols' }, { labels: LABELS, batchSize: 7 });
    expect(a.dataset.n).toBeGreaterThan(50);
    expect(a.stats).toEqual(b.stats);
    expect(Array.from(a.dataset.X)).toEqual(Array.from(b.dataset.X));
    expect(Array.from(a.dataset.y)).toEqual(Array.from(b.dataset.y));
    expect(Array.from(a.dataset.returns)).toEqual(Array.from(b.dataset.returns));
  });

  it('stopping early ends the COPY on the server', async () => {
    for await (const c of t.events.streamTrainingColumns({ strategyId: 'cols' }, { snapshotPaths: SNAPSHOT_FEATURE_PATHS, batchSize: 1 })) {
      expect(c.length).toBe(1);
      break;
    }
    const copying = async (): Promise<number> =>
      (await queryRows<{ n: number }>(t.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY (%' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`, ["'cols'"]))[0].n;
    for (let waited = 0; waited < 5_000 && (await copying()) > 0; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(await copying()).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';

import { createTestDataSource, trainingRowOf, useTestSchema } from '../testing';
import { DatasetCursor, DatasetRow } from './execution-dataset.query';
import { ExecutionEventInput, ExecutionEventRepository } from './execution-event.repository';
import { TradingSignalInput, TradingSignalRepository } from './trading-signal.repository';
import { trainingRowsOf } from './training-rows.copy';

const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);

function signal(strategy: string, i: number, signalId: string = randomUUID()): TradingSignalInput {
  return {
    signal_id: signalId,
    signal_type: i % 2 === 0 ? 'buy' : 'sell',
    asset: 'BTCUSDT',
    amount: 100 + i,
    confidence: 0.6,
    // Several signals share a timestamp so the keyset's tie-breakers matter.
    timestamp: new Date(T0 + Math.floor(i / 3) * 60_000).toISOString(),
    strategy_id: strategy,
    model_version: null,
    is_warmup: true,
    market_data_snapshot: { price: 50_000 + i, spread: 1.5, volume_24h: 1e6, volatility: 0.02 },
    metadata: { reason: 'test' },
    trace_id: randomUUID(),
  };
}

function execution(s: TradingSignalInput, n: number, overrides: Partial<ExecutionEventInput> = {}): ExecutionEventInput {
  return {
    event_id: `${s.signal_id}-fill-${n}`,
    order_id: `order-${s.signal_id}`,
    signal_id: s.signal_id,
    strategy_id: s.strategy_id,
    asset: s.asset,
    side: s.signal_type === 'buy' ? 'Buy' : 'Sell',
    execution_price: 50_000.12345678,
    execution_quantity: 0.002,
    execution_fees: 0.055,
    executed_at: new Date(new Date(s.timestamp).getTime() + 1_000 + n).toISOString(),
    signal_price: 50_000,
    signal_timestamp: s.timestamp,
    market_conditions: { spread: 1.2, volume_24h: 1e6, volatility: 0.02 },
    performance: { slippage: 0.12, slippage_percent: 0.00024, realized_pnl: 1.5, return_percent: 0.3 },
    trace_id: s.trace_id ?? null,
    ...overrides,
  };
}

async function collect<T>(source: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('ExecutionEventRepository', () => {
  const t = useTestSchema({}, (dataSource) => ({
    events: new ExecutionEventRepository(dataSource),
    signals: new TradingSignalRepository(dataSource),
  }));

  it('insertBatch stores each event_id once: redelivered and in-batch duplicates are counted, not stored', async () => {
    const s = signal('idem', 0);
    const batch = [0, 1, 2, 3].map((n) => execution(s, n));
    expect(await t.events.insertBatch(batch)).toMatchObject({ inserted: 4, duplicates: 0 });

    const again = [execution(s, 2), execution(s, 4), execution(s, 4), execution(s, 3)];
    const result = await t.events.insertBatch(again);
    expect(result).toEqual({ inserted: 1, duplicates: 3, insertedEventIds: [`${s.signal_id}-fill-4`] });
    expect(await t.events.countSince('idem', new Date(0))).toBe(5);
  });

  it('strategyIds() lists each strategy with executions once, sorted by code unit; none in an empty table', async () => {
    const own = await createTestDataSource({ prefix: 'ee_ids' });
    try {
      const repo = new ExecutionEventRepository(own.dataSource);
      expect(await repo.strategyIds()).toEqual([]);
      const fills = ['momentum', 'Zeta', 'momentum', 'alpha'].map((strategy, i) => execution(signal(strategy, i), 0, { signal_id: null }));
      await repo.insertBatch(fills);
      expect(await repo.strategyIds()).toEqual(['Zeta', 'alpha', 'momentum']);
    } finally {
      await own.drop();
    }
  });

  it('insertBatch chunks a large batch under the bind-parameter limit', async () => {
    const s = signal('bulk', 0);
    const many = Array.from({ length: 7_000 }, (_, n) => execution(s, n));
    // 7,000 rows x 19 columns = 133,000 parameters: one statement would be refused.
    const result = await t.events.insertBatch([...many, ...many.slice(0, 500)], 100_000);
    expect(result.inserted).toBe(7_000);
    expect(result.duplicates).toBe(500);
    expect(await t.events.countSince('bulk', new Date(0))).toBe(7_000);
  });

  it('stores numeric fields exactly and extracts performance figures into their own columns', async () => {
    const s = signal('fields', 0);
    await t.events.insertBatch([execution(s, 0), execution(s, 1, { performance: { slippage: 0.1 } })]);
    const full = await t.events.findByEventId(`${s.signal_id}-fill-0`);
    expect(full).toMatchObject({
      side: 'buy',
      executionPrice: 50_000.12345678,
      executionQuantity: 0.002,
      executionFees: 0.055,
      signalPrice: 50_000,
      realizedPnl: 1.5,
      returnPercent: 0.3,
      slippagePercent: 0.00024,
      isPartialFill: false,
      marketConditions: { spread: 1.2, volume_24h: 1e6, volatility: 0.02 },
    });
    expect(typeof full?.executionPrice).toBe('number');
    const bare = await t.events.findByEventId(`${s.signal_id}-fill-1`);
    expect(bare).toMatchObject({ realizedPnl: null, returnPercent: null, slippagePercent: null });
    expect(await t.events.findBySignalId(s.signal_id)).toHaveLength(2);
  });

  it('refuses an event whose signal_id is not a UUID, naming the event', async () => {
    const s = signal('bad', 0);
    await expect(t.events.insertBatch([execution(s, 0, { signal_id: 'not-a-uuid' })])).rejects.toThrow(
      /fill-0.*not a UUID/,
    );
  });

  it('stores ids as long as the contracts allow (128 characters) in every id column', async () => {
    const s = signal('long_ids', 0);
    const long = (c: string) => c.repeat(128);
    await t.signals.insert({ ...s, trace_id: long('t'), model_version: long('v') });
    const result = await t.events.insertBatch([execution(s, 0, { event_id: long('e'), order_id: long('o'), trace_id: long('t') })]);
    expect(result.inserted).toBe(1);
    expect((await t.events.findByEventId(long('e')))?.orderId).toBe(long('o'));
    await expect(t.events.insertBatch([execution(s, 1, { event_id: long('x') + 'x' })])).rejects.toThrow(/too long/);
  });

  it('insertBatchIsolatingRejects keeps the innocent rows of a batch PostgreSQL refuses one row of, and names that row', async () => {
    const s = signal('isolate', 0);
    const batch = Array.from({ length: 10 }, (_, i) => execution(s, i));
    batch[3] = execution(s, 3, { strategy_id: 'nul\u0000byte' }); // valid JSON, refused by PostgreSQL text (22021)
    batch[7] = execution(s, 7, { signal_id: 'not-a-uuid' }); // refused before SQL
    batch.push(execution(s, 0)); // an in-batch duplicate stays a duplicate

    const result = await t.events.insertBatchIsolatingRejects(batch);
    expect([...result.rejected.keys()].sort()).toEqual([3, 7]);
    expect(result.rejected.get(3)?.message).toMatch(/fill-3.*(0x00|invalid byte)/);
    expect(result.rejected.get(7)?.message).toMatch(/fill-7.*not a UUID/);
    expect(result).toMatchObject({ inserted: 8, duplicates: 1 });
    const stored = await t.events.findBySignalId(s.signal_id);
    expect(stored.map((e) => e.eventId).sort()).toEqual(
      [0, 1, 2, 4, 5, 6, 8, 9].map((n) => `${s.signal_id}-fill-${n}`).sort(),
    );

    // A clean batch takes the one-statement path and reports nothing rejected; redelivery stays idempotent.
    const again = await t.events.insertBatchIsolatingRejects([execution(s, 1), execution(s, 10)]);
    expect(again).toMatchObject({ inserted: 1, duplicates: 1 });
    expect(again.rejected.size).toBe(0);
  });

  it('insertBatchIsolatingRejects rejects the whole call on an error that is not about the data', async () => {
    const s = signal('isolate_conn', 0);
    const broken = new ExecutionEventRepository({
      transaction: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    } as never);
    await expect(broken.insertBatchIsolatingRejects([execution(s, 0), execution(s, 1)])).rejects.toThrow(/ECONNREFUSED/);
  });

  describe('joined dataset', () => {
    const strategy = 'dataset';
    let expected: string[];

    beforeAll(async () => {
      const sigs = Array.from({ length: 30 }, (_, i) => signal(strategy, i));
      // Inserted out of time order: the dataset must come back ordered by signal timestamp.
      for (const s of [...sigs].reverse()) await t.signals.insert(s);
      const fills = sigs.flatMap((s, i) => (i % 5 === 0 ? [] : i % 4 === 0 ? [execution(s, 0), execution(s, 1)] : [execution(s, 0)]));
      // An execution whose signal is unknown is stored but is not part of the dataset.
      fills.push(execution(signal(strategy, 99), 0));
      // Another strategy's executions stay out.
      const foreign = signal('foreign', 1);
      await t.signals.insert(foreign);
      fills.push(execution(foreign, 0));
      await t.events.insertBatch(fills);
      // Signal time first; equal times in insertion order (reversed above), then fill order.
      const order = sigs
        .map((s, i) => ({ s, i }))
        .sort((a, b) => Math.floor(a.i / 3) - Math.floor(b.i / 3) || b.i - a.i);
      expected = order.flatMap(({ s, i }) =>
        i % 5 === 0 ? [] : i % 4 === 0 ? [`${s.signal_id}-fill-0`, `${s.signal_id}-fill-1`] : [`${s.signal_id}-fill-0`],
      );
    });

    it('pages by keyset in signal-time order without skipping or repeating a row', async () => {
      const seen: DatasetRow[] = [];
      let cursor: DatasetCursor | null = null;
      let pages = 0;
      do {
        const page: { rows: DatasetRow[]; next: DatasetCursor | null } = await t.events.datasetPage({ strategyId: strategy }, cursor, 4);
        seen.push(...page.rows);
        cursor = page.next;
        pages++;
      } while (cursor && pages < 100);
      expect(seen.map((r) => r.eventId)).toEqual(expected);
      const times = seen.map((r) => r.signalTimestamp.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(seen[0]).toMatchObject({
        strategyId: strategy,
        amount: 102,
        signalType: 'buy',
        marketDataSnapshot: { price: 50_002, spread: 1.5, volume_24h: 1e6, volatility: 0.02 },
        executionPrice: 50_000.12345678,
        realizedPnl: 1.5,
        isWarmup: true,
      });
    });

    it('streams the same rows through a server-side cursor', async () => {
      const batches: DatasetRow[][] = [];
      for await (const rows of t.events.streamDataset({ strategyId: strategy }, 7)) batches.push(rows);
      expect(batches.flat().map((r) => r.eventId)).toEqual(expected);
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(7);
    });

    it('streams training rows: the same executions in the same order, the snapshot restricted to the asked paths', async () => {
      const paths = [['price'], ['spread'], ['orderbook_depth', 'bid_depth'], ['technical_indicators', 'rsi_14']];
      const full = (await collect(t.events.streamDataset({ strategyId: strategy }, 7))).flat();
      const lean = (await collect(t.events.streamTrainingColumns({ strategyId: strategy }, { snapshotPaths: paths, batchSize: 7 }))).flatMap(trainingRowsOf);
      expect(lean).toHaveLength(expected.length);
      lean.forEach((r, i) => expect(r).toEqual(trainingRowOf(full[i], paths)));
      expect(lean[0].marketDataSnapshot).toEqual({ price: full[0].marketDataSnapshot['price'], spread: 1.5 });
    });

    it('keeps signals a few microseconds apart distinct across page boundaries', async () => {
      const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
      const micros = ['2026-06-01T00:00:00.000900Z', '2026-06-01T00:00:00.000100Z', '2026-06-01T00:00:00.000500Z'];
      for (let i = 0; i < ids.length; i++) {
        await t.dataSource.query(
          `INSERT INTO trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp")
           VALUES ($1, 'micro', 'BTCUSDT', 'buy', 10, 0.5, $2::timestamptz)`,
          [ids[i], micros[i]],
        );
        await t.events.insertBatch([execution({ ...signal('micro', 0, ids[i]!), timestamp: micros[i]! }, 0)]);
      }
      const seen: string[] = [];
      let cursor: DatasetCursor | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const page: { rows: DatasetRow[]; next: DatasetCursor | null } = await t.events.datasetPage({ strategyId: 'micro' }, cursor, 1);
        seen.push(...page.rows.map((r) => r.signalId));
        cursor = page.next;
        if (!cursor) break;
      }
      expect(seen).toEqual([ids[1], ids[2], ids[0]]);
    });

    it('honours the time window on the signal timestamp', async () => {
      const from = new Date(T0 + 3 * 60_000);
      const to = new Date(T0 + 5 * 60_000);
      const { rows } = await t.events.datasetPage({ strategyId: strategy, from, to }, null, 1000);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.signalTimestamp.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(r.signalTimestamp.getTime()).toBeLessThan(to.getTime());
      }
    });
  });

  it('streamTrainingColumns projects odd snapshots as a JSON path lookup would, with millisecond times', async () => {
    const paths = [['price'], ['has_position'], ['orderbook_depth', 'bid_depth'], ['orderbook_depth', 'imbalance'], ['technical_indicators', 'return_1'], ['technical_indicators', 'rsi_14']];
    const snapshots: unknown[] = [
      { price: ' 101.5 ', has_position: 'true', orderbook_depth: [1, 2], technical_indicators: 5 },
      { price: 1e-7, has_position: false, orderbook_depth: { bid_depth: '7', imbalance: null }, technical_indicators: { return_1: 0.12345678901234568, rsi_14: [50] } },
      { price: null, orderbook_depth: 'deep', technical_indicators: { return_1: true } },
      [1, 2, 3],
      'just text',
      null,
    ];
    const micros = '2026-07-01T00:00:00.123987Z';
    for (let i = 0; i < snapshots.length; i++) {
      const s = { ...signal('odd', i), timestamp: micros, market_data_snapshot: snapshots[i] as never };
      await t.dataSource.query(
        `INSERT INTO trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp", market_data_snapshot)
         VALUES ($1, 'odd', 'BTCUSDT', 'buy', 10, 0.5, $2::timestamptz, $3::jsonb)`,
        [s.signal_id, micros, JSON.stringify(snapshots[i])],
      );
      await t.events.insertBatch([execution(s, 0, { executed_at: '2026-07-01T00:00:01.999999Z' })]);
    }
    const full = (await collect(t.events.streamDataset({ strategyId: 'odd' }))).flat();
    const lean = (await collect(t.events.streamTrainingColumns({ strategyId: 'odd' }, { snapshotPaths: paths }))).flatMap(trainingRowsOf);
    expect(lean).toHaveLength(snapshots.length);
    lean.forEach((r, i) => {
      expect(r).toEqual(trainingRowOf(full[i], paths));
      // What a JS Date keeps of the microseconds, as the full rows give it.
      expect(r.signalTimestamp).toEqual(full[i].signalTimestamp);
      expect(r.signalTimestamp.getTime()).toBe(Date.parse('2026-07-01T00:00:00.123Z'));
      expect(r.executedAt).toEqual(full[i].executedAt);
    });
    expect(lean[1].marketDataSnapshot).toEqual({ price: 1e-7, has_position: false, orderbook_depth: { bid_depth: '7' }, technical_indicators: { return_1: 0.12345678901234568, rsi_14: [50] } });
    await expect(collect(t.events.streamTrainingColumns({ strategyId: 'odd' }, { snapshotPaths: [[]] }))).rejects.toThrow(/snapshot path/);
  });

  it('aggregates a strategy’s performance per hour in SQL', async () => {
    const s = signal('perf', 0);
    const hour = (h: number, m = 0) => new Date(Date.UTC(2026, 1, 1, h, m)).toISOString();
    await t.events.insertBatch([
      execution(s, 0, { executed_at: hour(10, 5), performance: { realized_pnl: 10 } }),
      execution(s, 1, { executed_at: hour(10, 50), performance: { realized_pnl: -4 } }),
      execution(s, 2, { executed_at: hour(10, 59), performance: {} }),
      execution(s, 3, { executed_at: hour(12, 0), performance: { realized_pnl: 2.5 } }),
      execution(s, 4, { executed_at: hour(13, 0), performance: { realized_pnl: 99 } }), // outside the window
    ]);
    const series = await t.events.performanceTimeSeries('perf', {
      granularity: 'hour',
      start: new Date(hour(10)),
      end: new Date(hour(13)),
    });
    expect(series).toEqual([
      {
        bucket: new Date(hour(10)),
        totalOrders: 3,
        successfulOrders: 1,
        closedOrders: 2,
        successRate: 1 / 3,
        winRate: 0.5,
        totalPnl: 6,
        avgPnl: 3,
      },
      {
        bucket: new Date(hour(12)),
        totalOrders: 1,
        successfulOrders: 1,
        closedOrders: 1,
        successRate: 1,
        winRate: 1,
        totalPnl: 2.5,
        avgPnl: 2.5,
      },
    ]);
    await expect(
      t.events.performanceTimeSeries('perf', { granularity: 'minute' as 'hour', start: new Date(0), end: new Date() }),
    ).rejects.toThrow(RangeError);
    const byStrategy = await t.events.performanceByStrategy({ start: new Date(hour(0)), end: new Date(hour(23)) });
    expect(byStrategy.find((r) => r.strategyId === 'perf')).toMatchObject({ totalOrders: 5, totalPnl: 107.5 });
  });
});

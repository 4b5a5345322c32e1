import { createTestDataSource, TestDataSource } from '../testing';
import { ExecutionEventInput, ExecutionEventRepository } from '../repositories/execution-event.repository';
import { TradingSignalRepository } from '../repositories/trading-signal.repository';
import { TrainingRunRepository } from '../repositories/training-run.repository';
import { OperationsReadRepository } from './operations-read.repository';

const H = 3_600_000;
const T0 = Date.UTC(2026, 1, 25, 0, 0, 0); // a Wednesday

describe('OperationsReadRepository (real PostgreSQL)', () => {
  let t: TestDataSource;
  let reads: OperationsReadRepository;
  let events: ExecutionEventRepository;

  beforeAll(async () => {
    t = await createTestDataSource({ prefix: 'test_opsread' });
    reads = new OperationsReadRepository(t.dataSource);
    events = new ExecutionEventRepository(t.dataSource);
    // 600 fills of two strategies over ~25 days at uneven times; every third has no realized PnL.
    const rows: ExecutionEventInput[] = Array.from({ length: 600 }, (_, i) => ({
      event_id: `e${i}`,
      order_id: `o${i}`,
      strategy_id: i % 4 === 0 ? 'other' : 'main',
      asset: 'BTCUSDT',
      side: 'sell',
      execution_price: 100,
      execution_quantity: 1,
      execution_fees: 0,
      executed_at: new Date(T0 + Math.floor(i * i * 1.7 * 60_000) % (25 * 24 * H)),
      performance: i % 3 === 0 ? {} : { realized_pnl: ((i * 37) % 21) - 10 },
    }));
    await events.insertBatch(rows);
  });
  afterAll(() => t?.drop());

  it.each([
    ['hour', T0 + 30 * 60_000, T0 + 3 * 24 * H + 17 * 60_000],
    ['day', T0 - 5 * H, T0 + 20 * 24 * H + H],
    ['week', T0 + 2 * 24 * H, T0 + 26 * 24 * H],
    ['hour', T0 + 10 * 24 * H, T0 + 10 * 24 * H + 1],
  ] as const)('gives exactly the buckets of ExecutionEventRepository.performanceTimeSeries (%s)', async (granularity, start, end) => {
    const query = { granularity, start: new Date(start), end: new Date(end) };
    const expected = await events.performanceTimeSeries('main', query);
    const actual = await reads.performanceBuckets('main', query);
    expect(actual.map((b) => ({ ...b, bucket: b.bucket.toISOString() }))).toEqual(
      expected.map((b) => ({ ...b, bucket: b.bucket.toISOString() })),
    );
    if (granularity !== 'hour' || end - start > H) expect(actual.length).toBeGreaterThan(0);
  });

  it('finds no buckets for an unknown strategy', async () => {
    expect(await reads.performanceBuckets('nobody', { granularity: 'day', start: new Date(T0), end: new Date(T0 + 30 * 24 * H) })).toEqual([]);
  });

  it('finds every strategy id across tables, each once, sorted', async () => {
    await new TradingSignalRepository(t.dataSource).insert({
      signal_id: '0d5e1b7c-34a2-4c1e-9a51-3e5bb2f9d001',
      signal_type: 'buy',
      asset: 'BTCUSDT',
      amount: 10,
      confidence: 0.5,
      timestamp: new Date(T0),
      strategy_id: 'signals-only',
      is_warmup: true,
      market_data_snapshot: {},
    });
    await new TrainingRunRepository(t.dataSource).create({ strategyId: 'aaa-runs-only', trigger: 'manual' });
    expect(await reads.knownStrategyIds()).toEqual(['aaa-runs-only', 'main', 'other', 'signals-only']);
  });
});

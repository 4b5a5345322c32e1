import { useTestSchema } from '../testing';
import { ExecutionEventInput, ExecutionEventRepository } from '../repositories/execution-event.repository';
import { TradingSignalRepository } from '../repositories/trading-signal.repository';
import { TrainingRunRepository } from '../repositories/training-run.repository';
import { OperationsReadRepository } from './operations-read.repository';

const H = 3_600_000;
const T0 = Date.UTC(2026, 1, 25, 0, 0, 0); // a Wednesday

describe('OperationsReadRepository (real PostgreSQL)', () => {
  const t = useTestSchema({ prefix: 'test_opsread' }, async (dataSource) => {
    const events = new ExecutionEventRepository(dataSource);
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
    return { reads: new OperationsReadRepository(dataSource), events };
  });

  it.each([
    ['hour', T0 + 30 * 60_000, T0 + 3 * 24 * H + 17 * 60_000],
    ['day', T0 - 5 * H, T0 + 20 * 24 * H + H],
    ['week', T0 + 2 * 24 * H, T0 + 26 * 24 * H],
    ['hour', T0 + 10 * 24 * H, T0 + 10 * 24 * H + 1],
  ] as const)('gives exactly the buckets of ExecutionEventRepository.performanceTimeSeries (%s)', async (granularity, start, end) => {
    const query = { granularity, start: new Date(start), end: new Date(end) };
    const expected = await t.events.performanceTimeSeries('main', query);
    const actual = await t.reads.performanceBuckets('main', query);
    expect(actual.map((b) => ({ ...b, bucket: b.bucket.toISOString() }))).toEqual(
      expected.map((b) => ({ ...b, bucket: b.bucket.toISOString() })),
    );
    if (granularity !== 'hour' || end - start > H) expect(actual.length).toBeGreaterThan(0);
  });

  it('keeps the hourly roll-up exact through duplicate inserts, updates and deletes', async () => {
    const query = { granularity: 'day' as const, start: new Date(T0 - 5 * H), end: new Date(T0 + 26 * 24 * H) };
    const same = async (): Promise<void> => {
      const expected = await t.events.performanceTimeSeries('main', query);
      const actual = await t.reads.performanceBuckets('main', query);
      expect(actual.map((b) => ({ ...b, bucket: b.bucket.toISOString() }))).toEqual(expected.map((b) => ({ ...b, bucket: b.bucket.toISOString() })));
    };
    const extra: ExecutionEventInput[] = Array.from({ length: 40 }, (_, i) => ({
      event_id: `x${i}`,
      order_id: `xo${i}`,
      strategy_id: 'main',
      asset: 'BTCUSDT',
      side: 'sell',
      execution_price: 100,
      execution_quantity: 1,
      execution_fees: 0,
      executed_at: new Date(T0 + i * 7 * H + 1_234),
      performance: { realized_pnl: (i % 7) - 3 },
    }));
    await t.events.insertBatch(extra);
    await t.events.insertBatch(extra.slice(0, 20)); // redelivered: stored once, counted once
    await same();
    await t.dataSource.query(`UPDATE execution_events SET realized_pnl = realized_pnl + 1.5, executed_at = executed_at + interval '90 minutes' WHERE event_id LIKE 'x1%'`);
    await same();
    await t.dataSource.query(`DELETE FROM execution_events WHERE event_id LIKE 'x%' OR event_id LIKE 'e1%'`);
    await same();
    const [{ rows }] = await t.dataSource.query(
      `SELECT (SELECT coalesce(sum(total_orders), 0) FROM execution_performance_hourly) = (SELECT count(*) FROM execution_events) AS rows`,
    );
    expect(rows).toBe(true);
  });

  it('finds no buckets for an unknown strategy', async () => {
    expect(await t.reads.performanceBuckets('nobody', { granularity: 'day', start: new Date(T0), end: new Date(T0 + 30 * 24 * H) })).toEqual([]);
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
    expect(await t.reads.knownStrategyIds()).toEqual(['aaa-runs-only', 'main', 'other', 'signals-only']);
  });

  it('empties the hourly roll-up when execution_events is truncated (last: it empties the table)', async () => {
    await t.dataSource.query('TRUNCATE execution_events');
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM execution_performance_hourly');
    expect(n).toBe(0);
    expect(await t.reads.performanceBuckets('main', { granularity: 'day', start: new Date(T0), end: new Date(T0 + 30 * 24 * H) })).toEqual([]);
  });
});

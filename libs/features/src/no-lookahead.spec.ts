import { buildDatasetRows } from './dataset/dataset-builder';
import { labelFromExecution } from './labels/labels';
import { buildFeatures, featureInputFromSignal } from './pipeline/build-features';
import { SignalLike } from './pipeline/snapshot-input';

/**
 * Proof that no feature uses information from after the signal's timestamp: the vector depends only
 * on the decision-time snapshot, the side and the time, never on the execution, its market
 * conditions, its performance, later prices, or the decision's own outputs (amount, confidence).
 */

const SIGNAL_TIME = '2024-03-01T10:00:00.000Z';

function joinedRow() {
  return {
    signal: {
      signal_id: '7c1d1f0e-4a7b-4b8e-9f8e-1a2b3c4d5e6f',
      signal_type: 'buy' as const,
      asset: 'BTCUSDT',
      amount: 250,
      confidence: 0.71,
      timestamp: SIGNAL_TIME,
      strategy_id: 'momentum-1',
      model_version: null,
      is_warmup: true,
      market_data_snapshot: {
        price: 61_000,
        spread: 1.5,
        volume_24h: 12_345,
        volatility: 0.0012,
        orderbook_depth: { bid_depth: 40, ask_depth: 25, imbalance: 0.23 },
        technical_indicators: {
          return_1: 0.0004,
          return_5: 0.0011,
          return_15: -0.0007,
          rsi_14: 58,
          ema_ratio: 0.0009,
          atr_14: 45,
          atr_pct: 0.074,
          bollinger_pctb: 0.66,
          volume_zscore: 0.8,
          volatility: 0.0012,
          candles: 50,
        },
        open_orders_count: 0,
        position_size_norm: 0.1,
        has_position: true,
      },
      metadata: { reason: 'momentum', heuristic_strength: 0.71 },
      trace_id: 'trace-1',
    },
    execution: {
      event_id: 'e-1',
      side: 'buy',
      execution_price: 61_020,
      execution_quantity: 0.004,
      execution_fees: 0.24,
      executed_at: '2024-03-01T10:00:02.000Z',
      signal_price: 61_000,
      signal_timestamp: SIGNAL_TIME,
      market_conditions: { spread: 3, volume_24h: 13_000, volatility: 0.002 },
      performance: { slippage: 20, slippage_percent: 0.033, realized_pnl: 1.2, return_percent: 0.49 },
    },
    laterPrices: [61_100, 61_500, 60_900],
  };
}

type Row = ReturnType<typeof joinedRow>;

describe('no look-ahead', () => {
  it('mutating every execution-time field, later prices and the decision outputs leaves the vector unchanged', () => {
    const row = joinedRow();
    const before = buildFeatures(featureInputFromSignal(row.signal));

    const e = row.execution;
    e.execution_price = 1;
    e.execution_quantity = 999;
    e.execution_fees = 999;
    e.executed_at = '2030-01-01T00:00:00Z';
    e.signal_price = 5;
    e.market_conditions = { spread: 9_999, volume_24h: 0, volatility: 9 };
    e.performance = { slippage: -1, slippage_percent: -50, realized_pnl: -1_000, return_percent: -99 };
    row.laterPrices.fill(1);
    const s = row.signal as Row['signal'] & Record<string, unknown>;
    s.amount = 1;
    s.confidence = 0.01;
    s.model_version = 'v-future' as unknown as null;
    s.is_warmup = false;
    s.metadata = { reason: 'changed', heuristic_strength: 0 };
    s.signal_id = 'other';

    expect(buildFeatures(featureInputFromSignal(row.signal))).toEqual(before);
  });

  it('…while a change of decision-time state does change it (the check above can fail)', () => {
    const row = joinedRow();
    const before = buildFeatures(featureInputFromSignal(row.signal));
    row.signal.market_data_snapshot.spread = 3;
    expect(buildFeatures(featureInputFromSignal(row.signal))).not.toEqual(before);
  });

  it('reads nothing outside signal_type, timestamp and the decision-time snapshot', () => {
    const row = joinedRow();
    // The trainer's joined record: the signal with its execution attached to it.
    const joined = { ...row.signal, execution: row.execution, later_prices: row.laterPrices };
    const { proxy, paths } = recordReads(joined);
    buildFeatures(featureInputFromSignal(proxy as unknown as SignalLike));

    const snapshotFields = [
      'price',
      'spread',
      'volume_24h',
      'volatility',
      'orderbook_depth',
      'orderbook_depth.bid_depth',
      'orderbook_depth.ask_depth',
      'orderbook_depth.imbalance',
      'technical_indicators',
      ...['return_1', 'return_5', 'return_15', 'rsi_14', 'ema_ratio', 'atr_pct', 'bollinger_pctb', 'volume_zscore'].map(
        (k) => `technical_indicators.${k}`,
      ),
      'open_orders_count',
      'position_size_norm',
      'has_position',
    ];
    const allowed = new Set(['signal_type', 'timestamp', 'market_data_snapshot', ...snapshotFields.map((f) => `market_data_snapshot.${f}`)]);
    const read = [...paths];
    expect(read.filter((p) => !allowed.has(p))).toEqual([]);
    // It does read the decision-time state (the recorder works).
    expect(read).toEqual(expect.arrayContaining(['signal_type', 'timestamp', 'market_data_snapshot.price']));
  });

  it('the recorder catches a pipeline that peeks at the execution', () => {
    const row = joinedRow();
    const { proxy, paths } = recordReads({ ...row.signal, execution: row.execution });
    const leaky = proxy as unknown as { execution: { market_conditions: { spread: number } } };
    void leaky.execution.market_conditions.spread;
    expect([...paths]).toContain('execution.market_conditions.spread');
  });

  it('dataset rows: features are identical whatever the labels and returns are', () => {
    const row = joinedRow();
    const input = featureInputFromSignal(row.signal);
    const good = labelFromExecution(row.execution)!;
    const bad = labelFromExecution({ ...row.execution, performance: { return_percent: -5 } })!;
    expect(good.label).toBe(1);
    expect(bad.label).toBe(0);
    const a = buildDatasetRows([{ ...input, label: good.label, ret: good.ret }]);
    const b = buildDatasetRows([{ ...input, label: bad.label, ret: bad.ret }]);
    expect(a.X).toEqual(b.X);
    expect(a.y).not.toEqual(b.y);
  });
});

/** Wraps an object so that every property read (at any depth) is recorded as a dotted path. */
function recordReads<T extends object>(target: T): { proxy: T; paths: Set<string> } {
  const paths = new Set<string>();
  const wrap = (obj: object, prefix: string): object =>
    new Proxy(obj, {
      get(o, key, receiver) {
        const value: unknown = Reflect.get(o, key, receiver);
        if (typeof key !== 'string') return value;
        const path = prefix ? `${prefix}.${key}` : key;
        paths.add(path);
        return value !== null && typeof value === 'object' ? wrap(value, path) : value;
      },
    });
  return { proxy: wrap(target, '') as T, paths };
}

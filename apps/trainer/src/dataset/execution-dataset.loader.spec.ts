import { buildFeatures, FEATURE_COUNT, matrixRow } from '@model-service/features';
import { isTrainingCancelled } from '@model-service/ml';
import type { DatasetQuery, DatasetRow } from '@model-service/repositories';

import { DatasetSource, loadExecutionDataset } from './execution-dataset.loader';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const LABELS = { horizonMs: 10 * MIN, exitFeeRate: 0.001, minReturn: 0 };

let seq = 0;
function row(minute: number, patch: Partial<DatasetRow> = {}): DatasetRow {
  seq++;
  const price = 100 + minute;
  return {
    signalRowId: String(seq),
    signalId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    strategyId: 's',
    asset: 'BTCUSDT',
    signalType: 'buy',
    amount: 100,
    confidence: 0.5,
    signalTimestamp: new Date(T0 + minute * MIN),
    modelVersion: null,
    isWarmup: true,
    marketDataSnapshot: { price, spread: 0.1, volume_24h: 1000, volatility: 0.01, technical_indicators: { return_5: 0.001 } },
    executionId: String(seq),
    eventId: `e${seq}`,
    orderId: `o${seq}`,
    side: 'buy',
    executionPrice: price,
    executionQuantity: 1,
    executionFees: 0,
    executedAt: new Date(T0 + minute * MIN + 1000),
    signalPrice: price,
    marketConditions: { spread: 5, volume_24h: 1, volatility: 0.5 },
    performance: {},
    realizedPnl: null,
    returnPercent: null,
    slippagePercent: null,
    isPartialFill: false,
    ...patch,
  };
}

function source(rows: DatasetRow[], batch = 3): DatasetSource & { queries: DatasetQuery[]; closed: boolean } {
  const s = {
    queries: [] as DatasetQuery[],
    closed: false,
    async *streamDataset(query: DatasetQuery): AsyncGenerator<DatasetRow[]> {
      s.queries.push(query);
      try {
        for (let i = 0; i < rows.length; i += batch) yield rows.slice(i, i + batch);
      } finally {
        s.closed = true;
      }
    },
  };
  return s;
}

describe('loadExecutionDataset', () => {
  it('labels from realised figures when present, else marks to market at the horizon from later prices', async () => {
    const rows = [
      row(0, { returnPercent: 1.5, realizedPnl: 1.5 }), // realised win
      row(1, { returnPercent: -0.2 }), // realised loss
      row(2), // MTM: price 102 → the first price at ≥ 12 min + 1 s is 114 (minute 14) → a win
      row(3, { signalType: 'sell', side: 'sell' }), // MTM short: price rises → a loss
      row(14), // the last rows: nothing 10 minutes later yet → unlabelled
      row(15),
    ];
    const { dataset, stats } = await loadExecutionDataset(source(rows), { strategyId: 's' }, { labels: LABELS });
    expect(stats).toMatchObject({ rowsRead: 6, rows: 4, unlabelled: 2, bySource: { realized: 2, mark_to_market: 2 }, positives: 2 });
    expect(Array.from(dataset.y)).toEqual([1, 0, 1, 0]);
    expect(dataset.returns[0]).toBeCloseTo(0.015, 6);
    expect(dataset.returns[2]).toBeCloseTo((114 - 102) / 102 - (0.001 * 114) / 102, 4);
    expect(stats.dataStart).toBe(new Date(T0).toISOString());
  });

  it('builds features from the signal snapshot only: execution-time market conditions and prices change nothing', async () => {
    const a = row(0, { returnPercent: 1 });
    const b = { ...a, eventId: 'other', marketConditions: { spread: 999, volume_24h: 0, volatility: 9 }, executionPrice: 555, slippagePercent: 50 };
    const { dataset } = await loadExecutionDataset(source([a, b]), {}, { labels: LABELS });
    const expected = buildFeatures({ snapshot: a.marketDataSnapshot, side: 'buy', timestamp: a.signalTimestamp });
    expect(Array.from(matrixRow(dataset.X, FEATURE_COUNT, 0))).toEqual(Array.from(Float32Array.from(expected)));
    expect(Array.from(matrixRow(dataset.X, FEATURE_COUNT, 1))).toEqual(Array.from(Float32Array.from(expected)));
  });

  it('reading time windows concurrently gives exactly the dataset of one query', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(i, i % 4 === 3 ? {} : { returnPercent: i % 3 ? 1 : -1 }));
    const windowed: DatasetSource = {
      async *streamDataset(q: DatasetQuery) {
        const inside = rows.filter((r) => (!q.from || r.signalTimestamp >= q.from) && (!q.to || r.signalTimestamp < q.to));
        for (let i = 0; i < inside.length; i += 3) yield inside.slice(i, i + 3);
      },
    };
    const cut = (m: number): Date => new Date(T0 + m * MIN);
    const whole = await loadExecutionDataset(windowed, {}, { labels: LABELS });
    const parts = await loadExecutionDataset(windowed, [{ to: cut(13) }, { from: cut(13), to: cut(27) }, { from: cut(27) }], { labels: LABELS });
    expect(parts.stats).toEqual(whole.stats);
    expect(Array.from(parts.dataset.X)).toEqual(Array.from(whole.dataset.X));
    expect(Array.from(parts.dataset.y)).toEqual(Array.from(whole.dataset.y));
    expect(Array.from(parts.dataset.timestamps)).toEqual(Array.from(whole.dataset.timestamps));
  });

  it('counts partial fills and keeps them', async () => {
    const { stats } = await loadExecutionDataset(source([row(0, { returnPercent: 1, isPartialFill: true }), row(1, { returnPercent: 1 })]), {}, { labels: LABELS });
    expect(stats).toMatchObject({ rows: 2, partialFills: 1 });
  });

  it('stops with TrainingCancelledError when cancelled between batches, closing the source', async () => {
    const flag = { aborted: false };
    const rows = Array.from({ length: 12 }, (_, i) => row(i, { returnPercent: 1 }));
    const src = source(rows, 3);
    const original = src.streamDataset.bind(src);
    src.streamDataset = async function* (q: DatasetQuery) {
      for await (const batch of original(q)) {
        yield batch;
        flag.aborted = true;
      }
    };
    const err = await loadExecutionDataset(src, {}, { labels: LABELS, signal: flag }).catch((e: unknown) => e);
    expect(isTrainingCancelled(err)).toBe(true);
    expect(src.closed).toBe(true);
  });
});

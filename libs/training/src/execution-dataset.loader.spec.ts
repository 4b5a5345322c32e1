import { FEATURE_COUNT, matrixRow, SNAPSHOT_FEATURE_PATHS, SNAPSHOT_FEATURE_TYPES } from '@model-service/features';
import { isTrainingCancelled } from '@model-service/ml';
import { trainingColumnsOf, trainingRowsOf } from '@model-service/repositories';
import type { DatasetQuery, DatasetRow, TrainingColumns } from '@model-service/repositories';

import { DatasetSource, loadExecutionDataset, TrainingRowsOptions } from './execution-dataset.loader';

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

/** A batch as the repository gives it: snapshot values as numbers where they are, else the snapshot itself. */
const columns = (rows: DatasetRow[]): TrainingColumns => trainingColumnsOf(rows, SNAPSHOT_FEATURE_PATHS, SNAPSHOT_FEATURE_TYPES);

function source(rows: DatasetRow[], batch = 3): DatasetSource & { queries: DatasetQuery[]; closed: boolean } {
  const s = {
    queries: [] as DatasetQuery[],
    closed: false,
    async *streamTrainingColumns(query: DatasetQuery): AsyncGenerator<TrainingColumns> {
      s.queries.push(query);
      try {
        for (let i = 0; i < rows.length; i += batch) yield columns(rows.slice(i, i + batch));
      } finally {
        s.closed = true;
      }
    },
  };
  return s;
}

describe('loadExecutionDataset', () => {
  it('labels every decision of either side by the price move over the horizon in its direction, net of fees; realised PnL is not used', async () => {
    const rows = [
      row(0, { returnPercent: -1.5, realizedPnl: -1.5 }), // realised loss, but the price rises 10 % in 10 min → a win
      row(1, { signalType: 'sell', side: 'sell', returnPercent: 2, realizedPnl: 2 }), // a realised win, but the price rises → a SELL loses
      row(2), // price 102 → the first price at ≥ 12 min + 1 s is 114 (minute 14) → a win
      row(3, { signalType: 'sell', side: 'sell' }), // price rises → a loss
      row(14), // the last rows: nothing 10 minutes later yet → unlabelled
      row(15),
    ];
    const { dataset, stats } = await loadExecutionDataset(source(rows), { strategyId: 's' }, { labels: LABELS });
    expect(stats).toMatchObject({ rowsRead: 6, rows: 4, unlabelled: 2, bySource: { realized: 0, mark_to_market: 4 }, positives: 2 });
    expect(Array.from(dataset.y)).toEqual([1, 0, 1, 0]);
    expect(dataset.returns[2]).toBeCloseTo((114 - 102) / 102 - (0.001 * 114) / 102, 4);
    expect(dataset.returns[3]).toBeCloseTo(-(114 - 103) / 103 - (0.001 * 114) / 103, 4);
    expect(stats.dataStart).toBe(new Date(T0).toISOString());
  });

  it("leaves out executions of exit-strategy's closes (neither warm-up nor a model's) but uses their prices", async () => {
    const rows = [row(0), row(11, { isWarmup: false, modelVersion: null, signalType: 'sell', side: 'sell', executionPrice: 50, marketDataSnapshot: { price: 50, spread: 0, volume_24h: 0, volatility: 0 } }), row(12, { isWarmup: false, modelVersion: 'm1' })];
    const { dataset, stats } = await loadExecutionDataset(source(rows), {}, { labels: LABELS });
    expect(stats).toMatchObject({ rowsRead: 3, rows: 1, notDecisions: 1, unlabelled: 1 });
    // Minute 0's horizon ends at 10 min + 1 s: the first later price is the exit's 50 (minute 11) → a loss.
    expect(Array.from(dataset.y)).toEqual([0]);
  });

  describe('no lookahead: the real loader, fed executions whose execution-time fields and later prices are changed', () => {
    /** Thirty decisions a minute apart with snapshots that differ row to row. */
    const base = (): DatasetRow[] =>
      Array.from({ length: 30 }, (_, i) =>
        row(i, {
          signalType: i % 3 === 0 ? 'sell' : 'buy',
          side: i % 3 === 0 ? 'sell' : 'buy',
          marketDataSnapshot: {
            price: 100 + Math.sin(i) * 5,
            spread: 0.1 + (i % 4) * 0.05,
            volume_24h: 1000 + i * 10,
            volatility: 0.01 + (i % 5) * 0.001,
            technical_indicators: { return_1: Math.cos(i) * 0.001, return_5: Math.sin(i / 2) * 0.003, rsi_14: 30 + i, bollinger_pctb: (i % 7) / 7 },
            open_orders_count: i % 2,
            position_size_norm: (i % 4) / 10,
            has_position: i % 4 !== 0,
          },
          executionPrice: 100 + Math.sin(i) * 5,
        }),
      );
    /** What happens at or after execution: price, fees, time, market conditions, slippage, realised figures. */
    const changeExecution = (r: DatasetRow, i: number): DatasetRow => ({
      ...r,
      executionPrice: r.executionPrice * (1 + 0.03 * Math.cos(i * 7)),
      executionFees: 0.5,
      executedAt: new Date(r.executedAt.getTime() + 20_000),
      marketConditions: { spread: 99, volume_24h: 0, volatility: 0.9 },
      slippagePercent: 3,
      realizedPnl: 7,
      returnPercent: -4,
      performance: { slippage: 9, realized_pnl: 7, return_percent: -4 },
    });
    /** A row whose signal comes after the decision under test: a different later market altogether. */
    const changeLater = (r: DatasetRow, i: number): DatasetRow => {
      const price = 150 + Math.cos(i * 3) * 20;
      return { ...changeExecution(r, i), executionPrice: price, marketDataSnapshot: { ...r.marketDataSnapshot, price, volatility: 0.05 } };
    };
    const byTime = (d: { timestamps: ArrayLike<number>; X: Float32Array; n: number }): Map<number, number[]> =>
      new Map(Array.from({ length: d.n }, (_, i) => [d.timestamps[i], Array.from(matrixRow(d.X, FEATURE_COUNT, i))]));

    it.each([4, 12, 18])('the vectors of decisions 0..%i are the same whatever happened after them', async (k) => {
      const original = base();
      const changed = original.map((r, i) => (i <= k ? changeExecution(r, i) : changeLater(r, i)));
      const a = await loadExecutionDataset(source(original), {}, { labels: LABELS });
      const b = await loadExecutionDataset(source(changed), {}, { labels: LABELS });
      const va = byTime(a.dataset);
      const vb = byTime(b.dataset);
      for (let i = 0; i <= k; i++) {
        const t = original[i].signalTimestamp.getTime();
        expect(va.get(t)).toBeDefined();
        expect(vb.get(t)).toEqual(va.get(t));
      }
      // The changes reached the loader: the labels of those same decisions moved.
      const labelsOf = (d: typeof a.dataset) => Array.from(d.y.subarray(0, k + 1));
      expect(labelsOf(b.dataset)).not.toEqual(labelsOf(a.dataset));
    });
  });

  it('reading time windows concurrently gives exactly the dataset of one query', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(i, { executionPrice: 100 + ((i * 7) % 11) }));
    const windowed: DatasetSource = {
      async *streamTrainingColumns(q: DatasetQuery) {
        const inside = rows.filter((r) => (!q.from || r.signalTimestamp >= q.from) && (!q.to || r.signalTimestamp < q.to));
        for (let i = 0; i < inside.length; i += 3) yield columns(inside.slice(i, i + 3));
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

  it('gives the same dataset whether the snapshot values arrive as numbers or as snapshots', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      row(i, {
        signalType: i % 3 === 0 ? 'sell' : 'buy',
        marketDataSnapshot: {
          price: 100 + ((i * 7) % 13),
          spread: i % 4 === 0 ? null : 0.1 * i,
          has_position: i % 5 === 0 ? undefined : i % 2 === 0,
          position_size_norm: (i % 3) / 2,
          orderbook_depth: i % 6 === 0 ? undefined : { bid_depth: i, ask_depth: 30 - i },
          technical_indicators: { return_5: (i - 15) / 1000, rsi_14: i % 7 === 0 ? undefined : 40 + i },
        } as DatasetRow['marketDataSnapshot'],
      }),
    );
    const asSnapshots = (c: TrainingColumns): TrainingColumns => ({ ...c, snapshots: trainingRowsOf(c).map((r) => r.marketDataSnapshot) });
    const numbers: DatasetSource = {
      async *streamTrainingColumns() {
        for (let i = 0; i < rows.length; i += 4) yield columns(rows.slice(i, i + 4));
      },
    };
    const snapshots: DatasetSource = {
      async *streamTrainingColumns() {
        for (let i = 0; i < rows.length; i += 4) yield asSnapshots(columns(rows.slice(i, i + 4)));
      },
    };
    expect(columns(rows).snapshots).toBeNull();
    const a = await loadExecutionDataset(numbers, {}, { labels: LABELS });
    const b = await loadExecutionDataset(snapshots, {}, { labels: LABELS });
    expect(a.stats).toEqual(b.stats);
    expect(a.dataset.n).toBeGreaterThan(10);
    expect(Array.from(a.dataset.X)).toEqual(Array.from(b.dataset.X));
    expect(Array.from(a.dataset.y)).toEqual(Array.from(b.dataset.y));
  });

  it('counts partial fills and keeps them', async () => {
    const { stats } = await loadExecutionDataset(source([row(0, { isPartialFill: true }), row(1), row(12)]), {}, { labels: LABELS });
    expect(stats).toMatchObject({ rows: 2, partialFills: 1 });
  });

  it('stops with TrainingCancelledError when cancelled between batches, closing the source', async () => {
    const flag = { aborted: false };
    const rows = Array.from({ length: 12 }, (_, i) => row(i));
    const src = source(rows, 3);
    const original = src.streamTrainingColumns.bind(src);
    src.streamTrainingColumns = async function* (q: DatasetQuery, o: TrainingRowsOptions) {
      for await (const batch of original(q, o)) {
        yield batch;
        flag.aborted = true;
      }
    };
    const err = await loadExecutionDataset(src, {}, { labels: LABELS, signal: flag }).catch((e: unknown) => e);
    expect(isTrainingCancelled(err)).toBe(true);
    expect(src.closed).toBe(true);
  });
});

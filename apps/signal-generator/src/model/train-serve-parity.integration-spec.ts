import { DatasetBuilder, FEATURE_NAMES, featureVectorHash, SnapshotInput } from '@model-service/features';
import { ExecutionEventRepository, OrderRepository, PositionRepository, TradingSignalRepository } from '@model-service/repositories';
import { exampleExecutionForSignal } from '@model-service/signals/testing';
import { sleep } from '@model-service/util';

import { ReceivedSignal } from '../testing/architecture-signal-consumer.testing';
import { registerTestModel, writeTestModel } from '../testing/model-fixtures.testing';
import { ModelModeWorld } from '../testing/model-mode-world.testing';
import { InferenceRecord } from './model-decision-source';

const STRATEGY = 'par_mom';
const ASSETS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const VERSION = 'par_mom-v1';

/** |a - b| within 1e-6, relative for values above 1 (the trainer stores features as float32). */
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Train/serve parity: the feature vector the signal-generator scored at decision time equals the one the
 * trainer builds for the same signal from what was stored — executions joined to trading_signals by the
 * repository's dataset query, featurised by libs/features' DatasetBuilder, as the trainer's loader does.
 */
describe('train/serve parity of model signals', () => {
  let world: ModelModeWorld;
  const inferences: InferenceRecord[] = [];

  beforeAll(async () => {
    world = await ModelModeWorld.create({ name: 'sgparity', assets: ASSETS });
    const model = await writeTestModel(world.storage, { version: VERSION, strategyId: STRATEGY, rule: 'momentum', modelType: 'mlp' });
    await registerTestModel(world.versions, model);
    await world.versions.activate(VERSION, STRATEGY);
    // Order and position state vary the snapshot: an open order on BTC (not blocking here), a position in ETH.
    await new OrderRepository(world.db.dataSource).insert({ orderId: 'parity-open-1', strategyId: STRATEGY, asset: 'BTCUSDT', side: 'Buy', orderType: 'Limit', quantity: 0.01 });
    await new PositionRepository(world.db.dataSource).upsert({
      asset: 'ETHUSDT', strategyId: STRATEGY, size: 2.5, averageEntryPrice: 3_000, currentPrice: 3_010, unrealizedPnl: 25, unrealizedPnlPct: 0.33, realizedPnl: 0, openedAt: new Date(),
    });
    await world.start({
      TRADING_STRATEGIES: JSON.stringify([{ id: STRATEGY, heuristic: 'momentum', assets: ASSETS, frequency_seconds: 0.4, short_selling: true }]),
      MODEL_SIGNAL_MIN_CONFIDENCE: '0',
      SIGNAL_GENERATION_SKIP_IF_OPEN_ORDER: 'false',
    });
    world.models.onInference((r) => inferences.push(r));
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  }, 60_000);

  it('starts in model mode (the active version is loaded before the first decision)', async () => {
    const first = await world.waitForSignal((r) => r.signal.strategy_id === STRATEGY, 0, 10_000, 'a first signal');
    expect(first.signal).toMatchObject({ is_warmup: false, model_version: VERSION });
  });

  it('gives the same feature vector at inference and in the trainer dataset built from the stored signals (to 1e-6)', async () => {
    const deadline = Date.now() + 30_000;
    while (world.reader.received.filter((r) => r.signal.model_version === VERSION).length < 45 && Date.now() < deadline) await sleep(100);
    const published: ReceivedSignal[] = world.reader.received.filter((r) => r.signal.model_version === VERSION);
    expect(published.length).toBeGreaterThanOrEqual(45);

    // Every published signal stored, then executed (the trainer joins executions to signals).
    const signals = new TradingSignalRepository(world.db.dataSource);
    for (const { signal } of published) {
      for (let i = 0; i < 100 && !(await signals.findBySignalId(signal.signal_id)); i++) await sleep(50);
    }
    await new ExecutionEventRepository(world.db.dataSource).insertBatch(
      published.map(({ signal }) => exampleExecutionForSignal(signal as never, { performance: { slippage: 0, slippage_percent: 0, realized_pnl: 1, return_percent: 0.5 } })),
    );

    const builder = new DatasetBuilder();
    const rows: Array<{ signalId: string; asset: string; side: string; ts: number; snapshot: SnapshotInput }> = [];
    for await (const batch of new ExecutionEventRepository(world.db.dataSource).streamDataset({ strategyId: STRATEGY })) {
      for (const row of batch) {
        const snapshot = row.marketDataSnapshot as SnapshotInput;
        expect(builder.add({ snapshot, side: row.signalType, timestamp: row.signalTimestamp, label: 1, ret: 0.005 })).toBe(true);
        rows.push({ signalId: row.signalId, asset: row.asset, side: row.signalType, ts: row.signalTimestamp.getTime(), snapshot });
      }
    }
    const dataset = builder.finish();
    expect(dataset.n).toBe(published.length);
    const order = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.ts - b.r.ts || a.i - b.i).map((x) => x.r);

    const bySignal = new Map(published.map((p) => [p.signal.signal_id, p.signal]));
    const mismatches: string[] = [];
    order.forEach((row, i) => {
      const trainerRow = dataset.X.subarray(i * dataset.nFeatures, (i + 1) * dataset.nFeatures);
      const inference = inferences.find((r) => r.asset === row.asset && Date.parse(r.timestamp) === row.ts);
      if (!inference) {
        mismatches.push(`${row.signalId}: no inference recorded`);
        return;
      }
      const served = inference.scores[row.side as 'buy' | 'sell'].vector;
      FEATURE_NAMES.forEach((name, j) => {
        if (!close(served[j], trainerRow[j])) mismatches.push(`${row.signalId} ${name}: inference ${served[j]} vs trainer ${trainerRow[j]}`);
      });
      // The hash in the signal is the trainer row's hash as well.
      const hash = bySignal.get(row.signalId)?.metadata['feature_vector_hash'];
      if (hash !== featureVectorHash(trainerRow)) mismatches.push(`${row.signalId}: hash ${String(hash)} vs ${featureVectorHash(trainerRow)}`);
    });
    expect(mismatches).toEqual([]);

    // The comparison covered the state the snapshot carries, not just empty features.
    const col = (name: string): number[] => order.map((_, i) => dataset.X[i * dataset.nFeatures + FEATURE_NAMES.indexOf(name)]);
    expect(col('has_position')).toContain(1);
    expect(col('log_open_orders').some((v) => v > 0)).toBe(true);
    expect(col('rsi_14_missing').every((v) => v === 0)).toBe(true);
    expect(new Set(order.map((r) => r.side)).size).toBe(2);
  }, 60_000);
});

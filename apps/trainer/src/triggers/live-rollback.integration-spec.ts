import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

import { labelDecisions } from '@model-service/features';
import { ExecutedDecisionRepository, ExecutionEventInput, ExecutionEventRepository, ModelVersionRepository } from '@model-service/repositories';
import { TradingSignalEntity } from '@model-service/repositories/testing';
import { ModelEvent } from '@model-service/signals';
import { configureLogging } from '@model-service/util';
import * as winston from 'winston';

import { loadExecutionDataset, trainingSettingsOf } from '@model-service/training';
import { TrainerWorld } from '../testing/trainer-harness.testing';
import { QualityMonitor } from './quality-monitor';

const HOUR = 3_600_000;
const STEP = 60_000;
// Wins and losses per ten entries (each move ±1 %, so a win nets ~+0.8 % and a loss ~-1.2 % after fees).
const SEVEN_IN_TEN = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1];
const SIX_IN_TEN = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0];
const THREE_IN_TEN = [0, 1, 0, 0, 1, 0, 0, 0, 1, 0];
const outcomes = (pattern: number[], n: number): boolean[] => Array.from({ length: n }, (_, i) => pattern[i % 10] === 1);

/**
 * A strategy's executed BUYs: warm-up entries, then (from `activatedAt`) entries of `version`, then an exit whose
 * price labels the last entry. Rows are a minute apart and the label horizon is 10 s, so each entry's outcome is
 * the move to the next row's price, which is written to make it win or lose as asked.
 */
async function seedStrategy(
  world: TrainerWorld,
  strategyId: string,
  version: string,
  activatedAt: number,
  warmup: boolean[],
  model: boolean[],
): Promise<void> {
  const signals: Array<Record<string, unknown>> = [];
  const executions: ExecutionEventInput[] = [];
  let price = 100;
  const add = (at: number, mode: 'warmup' | 'model' | 'exit', win: boolean): void => {
    const signalId = randomUUID();
    signals.push({
      signalId,
      strategyId,
      asset: 'BTCUSDT',
      signalType: mode === 'exit' ? 'sell' : 'buy',
      amount: 100,
      confidence: 0.6,
      timestamp: new Date(at),
      modelVersion: mode === 'model' ? version : null,
      isWarmup: mode === 'warmup',
      marketDataSnapshot: { price, spread: 0.01, volume_24h: 1000, volatility: 0.01 },
      metadata: {},
      traceId: null,
    });
    executions.push({
      event_id: randomUUID(),
      order_id: randomUUID(),
      signal_id: signalId,
      strategy_id: strategyId,
      asset: 'BTCUSDT',
      side: mode === 'exit' ? 'sell' : 'buy',
      execution_price: price,
      execution_quantity: 1,
      execution_fees: 0.001 * price,
      executed_at: new Date(at + 1_000),
    });
    price = Math.round(price * (win ? 1.01 : 0.99) * 1e6) / 1e6;
  };
  const start = activatedAt - (warmup.length + 10) * STEP;
  warmup.forEach((w, i) => add(start + i * STEP, 'warmup', w));
  model.forEach((w, i) => add(activatedAt + i * STEP, 'model', w));
  add(activatedAt + model.length * STEP, 'exit', false);
  await world.db.dataSource.getRepository(TradingSignalEntity).insert(signals as never);
  await new ExecutionEventRepository(world.db.dataSource).insertBatch(executions);
}

describe('live rollback: a model whose live trades earn less than warm-up is rolled back (real PostgreSQL and RabbitMQ)', () => {
  let world: TrainerWorld;
  let versions: ModelVersionRepository;
  const activatedAt = Date.now() - 4 * HOUR;
  const logLines: Array<Record<string, unknown>> = [];

  /** A version row (no files: accuracy is not scored here), activated, with its activation time set. */
  const model = async (strategyId: string, version: string): Promise<void> => {
    await versions.create({ version, strategyId, modelType: 'logistic', featureSetVersion: 'fs', filePath: `/nowhere/${version}`, checksum: 'x' });
    await versions.activate(version, strategyId);
    await world.db.dataSource.query('UPDATE model_versions SET activated_at = $1 WHERE version = $2', [new Date(activatedAt), version]);
  };

  beforeAll(async () => {
    world = await TrainerWorld.create();
    // Accuracy scoring needs model files and samples in the window: set out of reach, so only the comparison acts.
    await world.start({ MODEL_ROLLBACK_MIN_TRADES: '50', MODEL_QUALITY_CHECK_MIN_SAMPLES: '10000000', MODEL_SERVICE_LOG_LEVEL: 'info' });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const root = configureLogging({ service: 'trainer-test', level: 'info', format: 'json', transports: [new winston.transports.Stream({ stream: sink })] });
    root.transports[0]!.silent = true;
    versions = world.get(ModelVersionRepository);

    // Worse beyond noise (30 % vs 70 % wins over 60 trades each), with an earlier good version to go back to.
    await model('lr_back', 'lr_back-v0');
    await model('lr_back', 'lr_back-v1');
    await seedStrategy(world, 'lr_back', 'lr_back-v1', activatedAt, outcomes(SEVEN_IN_TEN, 60), outcomes(THREE_IN_TEN, 60));
    // The same, with no earlier version: back to warm-up.
    await model('lr_alone', 'lr_alone-v1');
    await seedStrategy(world, 'lr_alone', 'lr_alone-v1', activatedAt, outcomes(SEVEN_IN_TEN, 60), outcomes(THREE_IN_TEN, 60));
    // As bad, but one trade short of MODEL_ROLLBACK_MIN_TRADES.
    await model('lr_few', 'lr_few-v1');
    await seedStrategy(world, 'lr_few', 'lr_few-v1', activatedAt, outcomes(SEVEN_IN_TEN, 60), outcomes(THREE_IN_TEN, 49));
    // Better than warm-up.
    await model('lr_better', 'lr_better-v1');
    await seedStrategy(world, 'lr_better', 'lr_better-v1', activatedAt, outcomes(THREE_IN_TEN, 60), outcomes(SEVEN_IN_TEN, 60));
    // A little worse (60 % vs 70 %), within noise at 60 trades.
    await model('lr_noise', 'lr_noise-v1');
    await seedStrategy(world, 'lr_noise', 'lr_noise-v1', activatedAt, outcomes(SEVEN_IN_TEN, 60), outcomes(SIX_IN_TEN, 60));
  });

  afterAll(async () => {
    await world?.destroy();
  });

  it('rolls back only the models below warm-up beyond noise, with a model event and a log line carrying the figures', async () => {
    const listener = await world.listenToModelEvents();
    try {
      const checks = await world.get(QualityMonitor).checkNow();
      const byStrategy = Object.fromEntries(checks.map((c) => [c.strategyId, [c.action, c.liveVsWarmup]]));
      expect(byStrategy).toEqual({
        lr_alone: ['rolled_back_live', 'rollback'],
        lr_back: ['rolled_back_live', 'rollback'],
        lr_better: ['skipped', 'not_below'],
        lr_few: ['skipped', 'too_few_model_trades'],
        lr_noise: ['skipped', 'not_below'],
      });

      expect((await versions.getActive('lr_back'))?.version).toBe('lr_back-v0');
      expect((await versions.findByVersion('lr_back-v1'))?.status).toBe('rejected');
      expect(await versions.getActive('lr_alone')).toBeNull();
      expect((await versions.findByVersion('lr_alone-v1'))?.status).toBe('rejected');
      for (const s of ['lr_few', 'lr_better', 'lr_noise']) expect((await versions.getActive(s))?.version).toBe(`${s}-v1`);

      const deadline = Date.now() + 5_000;
      while (listener.events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      const events = [...listener.events].sort((a, b) => a.strategy_id.localeCompare(b.strategy_id));
      expect(events).toHaveLength(2);
      const [alone, back] = events as [ModelEvent, ModelEvent];
      expect(back).toMatchObject({ event_type: 'model_rolled_back', strategy_id: 'lr_back', version: 'lr_back-v0', previous_version: 'lr_back-v1', checksum: 'x' });
      expect(alone).toMatchObject({ event_type: 'model_deactivated', strategy_id: 'lr_alone', version: null, previous_version: 'lr_alone-v1' });
      for (const e of events) {
        expect(e.metadata).toMatchObject({
          source: 'trainer',
          trigger: 'live_below_warmup',
          min_trades: 50,
          model: { n: 60, win_rate: 0.3 },
          warmup: { n: 60, win_rate: 0.7 },
        });
        const m = e.metadata as { model: { mean_net_return: number }; warmup: { mean_net_return: number }; mean_net_return_difference: { high: number }; mean_net_return_difference_999: { high: number } };
        expect(m.model.mean_net_return).toBeCloseTo(-0.006, 3);
        expect(m.warmup.mean_net_return).toBeCloseTo(0.002, 3);
        expect(m.mean_net_return_difference.high).toBeLessThan(0);
      expect(m.mean_net_return_difference_999.high).toBeLessThan(0);
        expect(typeof e.trace_id).toBe('string');
      }

      const rolled = logLines.filter((l) => l['msg'] === 'model rolled back: live results below warm-up');
      expect(rolled.map((l) => [l['strategy_id'], l['rolled_back_to']]).sort()).toEqual([
        ['lr_alone', null],
        ['lr_back', 'lr_back-v0'],
      ]);
      expect(rolled[0]).toMatchObject({ level: 'warn', model: { n: 60 }, warmup: { n: 60 }, reason: expect.stringMatching(/below warm-up's/) });
      const kept = logLines.filter((l) => l['msg'] === 'live results against warm-up');
      expect(kept.map((l) => [l['strategy_id'], l['verdict']]).sort()).toEqual([
        ['lr_better', 'not_below'],
        ['lr_few', 'too_few_model_trades'],
        ['lr_noise', 'not_below'],
      ]);

      // The next check finds nothing more to do: the rolled-back version is no longer active, v0 has no live trades.
      const again = await world.get(QualityMonitor).checkNow();
      expect(again.find((c) => c.strategyId === 'lr_back')).toMatchObject({ version: 'lr_back-v0', liveVsWarmup: 'too_few_model_trades' });
      expect(again.some((c) => c.action === 'rolled_back_live')).toBe(false);
    } finally {
      await listener.close();
    }
  }, 30_000);

  it("labels every entry exactly as the trainer's dataset loader does (the definition the comparison reuses)", async () => {
    const labels = trainingSettingsOf(world.env()).labels;
    for (const strategyId of ['lr_back', 'lr_noise']) {
      const { dataset } = await loadExecutionDataset(world.get(ExecutionEventRepository), { strategyId }, { labels });
      const { rows } = await world.get(ExecutedDecisionRepository).list({ strategyId }, 10_000);
      const labelled = labelDecisions(rows, labels).filter((r) => r !== null);
      expect(labelled).toHaveLength(dataset.n);
      expect(dataset.n).toBe(120);
      labelled.forEach((r, i) => {
        expect(r.label).toBe(dataset.y[i]);
        expect(r.ret).toBeCloseTo(dataset.returns[i], 6);
      });
    }
  });

  it('MODEL_ROLLBACK_MIN_TRADES=0 turns it off', async () => {
    await world.start({ MODEL_ROLLBACK_MIN_TRADES: '0', MODEL_QUALITY_CHECK_MIN_SAMPLES: '10000000' });
    versions = world.get(ModelVersionRepository);
    await model('lr_off', 'lr_off-v1');
    await seedStrategy(world, 'lr_off', 'lr_off-v1', activatedAt, outcomes(SEVEN_IN_TEN, 60), outcomes(THREE_IN_TEN, 60));
    const checks = await world.get(QualityMonitor).checkNow();
    expect(checks.find((c) => c.strategyId === 'lr_off')).toMatchObject({ action: 'skipped', liveVsWarmup: 'off' });
    expect((await versions.getActive('lr_off'))?.version).toBe('lr_off-v1');
  });
});

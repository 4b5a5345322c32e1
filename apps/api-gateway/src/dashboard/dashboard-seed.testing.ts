import { TrainingRunRepository } from '@model-service/repositories';
import { HealthRegistry, ObservabilityModule } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect } from 'amqplib';
import { DataSource } from 'typeorm';

import { Seeder } from '../testing/seed.testing';

const H = 3_600_000;
export const STRATEGIES = ['momentum-btc', 'mean-revert-eth'] as const;
export const EXIT_REASONS = { take_profit: 5, stop_loss: 3, trailing_stop: 2, time_based: 1 } as const;
export const DLQ_MESSAGES = 2;

/** A deterministic sequence in [0, 1) (the same screenshot every run). */
function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

/**
 * What an operator sees after a day of running: both strategies signalling (one in warm-up, one switched to
 * its model half a day ago), exits by four rules, a week of fills with PnL, a model history with metrics,
 * a training run in progress, and dead-lettered messages. Times are relative to `now` because the page
 * asks for "the last 24 h" by the browser's clock.
 */
export async function seedDashboard(ds: DataSource, storageDir: string, now: number): Promise<{ runningRunId: string }> {
  const seed = new Seeder(ds, storageDir);
  const runs = new TrainingRunRepository(ds);
  const rand = sequence(7);
  const [momentum, meanRevert] = STRATEGIES;
  const modelSignals: string[] = [];
  for (let h = 23; h >= 0; h--) {
    const hour = now - h * H - 20 * 60_000;
    for (let i = 0; i < 2 + Math.floor(rand() * 4); i++) {
      const inModel = h < 12;
      const s = await seed.signal({ strategy_id: momentum, timestamp: new Date(hour + i * 60_000), is_warmup: !inModel, model_version: inModel ? 'momentum-btc-v2' : null });
      if (inModel) modelSignals.push(s.signal_id);
    }
    for (let i = 0; i < 1 + Math.floor(rand() * 3); i++) {
      await seed.signal({ strategy_id: meanRevert, asset: 'ETHUSDT', signal_type: i % 2 ? 'sell' : 'buy', timestamp: new Date(hour + i * 90_000) });
    }
  }
  let k = 0;
  for (const [reason, n] of Object.entries(EXIT_REASONS)) {
    for (let i = 0; i < n; i++, k++) {
      await seed.signal({
        strategy_id: k % 3 === 0 ? meanRevert : momentum,
        signal_type: 'sell',
        is_warmup: false,
        timestamp: new Date(now - (k + 1) * 100 * 60_000),
        metadata: { exit_reason: reason, reason: `${reason} rule` },
      });
    }
  }
  for (let h = 7 * 24 - 2; h >= 1; h -= 3) {
    for (const strategy of STRATEGIES) {
      const edge = strategy === momentum ? 0.62 : 0.5;
      const pnl = Number((rand() < edge ? 3 + rand() * 10 : -(2 + rand() * 8)).toFixed(2));
      // The model's recent fills are its own signals' (so the models panel shows how its signals did).
      const signalId = strategy === momentum && h < 12 ? (modelSignals[h] ?? null) : null;
      await seed.execution({ strategy_id: strategy, signal_id: signalId, asset: strategy === momentum ? 'BTCUSDT' : 'ETHUSDT', executed_at: new Date(now - h * H), realized_pnl: pnl });
    }
  }

  await seed.model('momentum-btc-v1', momentum, { createdAt: new Date(now - 72 * H), metrics: { accuracy: 0.78 } });
  await seed.activate('momentum-btc-v1', momentum);
  const v2 = await seed.model('momentum-btc-v2', momentum, { createdAt: new Date(now - 13 * H), parentVersion: 'momentum-btc-v1', metrics: { accuracy: 0.83, f1_score: 0.8 } });
  await seed.activate('momentum-btc-v2', momentum);
  // Switched when its training finished, not when this test ran.
  await ds.query('UPDATE model_versions SET activated_at = $1 WHERE version = $2', [new Date(now - 13 * H), 'momentum-btc-v2']);
  await seed.model('mean-revert-eth-v1', meanRevert, { createdAt: new Date(now - 20 * H), status: 'rejected', metrics: { accuracy: 0.61 } });
  await seed.metrics(
    ['accuracy:0.83', 'f1_score:0.8', 'sharpe_ratio:1.42', 'total_pnl:96.5'].map((pair, i) => {
      const [name, value] = pair.split(':') as [string, string];
      return {
        modelVersionId: v2.id,
        strategyId: momentum,
        metricName: name,
        metricValue: Number(value),
        metricType: i < 2 ? 'classification' : 'trading_performance',
        evaluatedAt: new Date(now - 2 * H),
      };
    }),
  );

  const done = await runs.create({ strategyId: momentum, trigger: 'data_threshold' });
  await runs.update(done.id, {
    status: 'succeeded',
    startedAt: new Date(now - 13.2 * H),
    finishedAt: new Date(now - 13 * H),
    modelVersion: 'momentum-btc-v2',
    datasetSize: 4200,
    progress: { epoch: 20, epochs: 20, loss: 0.412, val_accuracy: 0.83 },
  });
  const failed = await runs.create({ strategyId: meanRevert, trigger: 'schedule' });
  await runs.update(failed.id, { status: 'failed', startedAt: new Date(now - 20.1 * H), finishedAt: new Date(now - 20 * H), error: 'candidate below the accuracy threshold' });
  const running = await runs.create({ strategyId: meanRevert, trigger: 'manual' });
  await runs.update(running.id, {
    status: 'running',
    startedAt: new Date(now - 95_000),
    datasetSize: 1800,
    progress: { epoch: 7, epochs: 20, loss: 0.6123, val_loss: 0.6402, val_accuracy: 0.69, eta_seconds: 176 },
  });
  return { runningRunId: running.id };
}

/** Puts `n` messages in a DLQ, as a consumer's dead-lettering would. */
export async function fillDeadLetterQueue(url: string, dlq: string, n: number): Promise<void> {
  const conn = await connect(url);
  try {
    const ch = await conn.createChannel();
    await ch.assertQueue(dlq, { durable: true });
    for (let i = 0; i < n; i++) ch.sendToQueue(dlq, Buffer.from(JSON.stringify({ broken: i })), { headers: { 'x-death-reason': 'invalid message' } });
    await ch.close();
  } finally {
    await conn.close();
  }
}

/**
 * Another app's /health as our apps serve it: the shared ObservabilityModule (the same controller and
 * report) with a database and a broker check, on a port of its own.
 */
export async function startHealthEndpoint(service: string): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(ObservabilityModule.forRoot({ service }), { logger: false });
  const health = app.get(HealthRegistry);
  health.registerCheck('database', () => ({ ok: true }));
  health.registerCheck('message_queue', () => ({ ok: true }));
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

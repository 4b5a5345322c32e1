import * as path from 'node:path';

import { buildDatasetRows, DatasetRecord, FEATURE_SET_VERSION, fitNormalizer, normalizeMatrix } from '@model-service/features';
import { randomSnapshot, seededRandom } from '@model-service/features/testing';
import { initTensorflow, saveModelVersion, trainModel } from '@model-service/ml';
import { withRawConnection } from '@model-service/messaging/testing';
import { ModelVersionRepository } from '@model-service/repositories';
import { ModelEvent, ModelEventType } from '@model-service/signals';

/**
 * What a test model learns: `momentum` = a trade is profitable when it follows the 5-candle return
 * (side × return_5 > 0, what the trainer's synthetic histories use); `always_buy` / `always_sell` = only
 * that side is profitable (a model whose side is known in advance, for tests of what follows inference).
 */
export type TestModelRule = 'momentum' | 'always_buy' | 'always_sell';

export interface TestModelOptions {
  version: string;
  strategyId: string;
  rule?: TestModelRule;
  modelType?: 'logistic' | 'mlp';
  /** Stored as training_config.class_weights (the calibration the service applies). */
  classWeights?: [number, number] | null;
  /** Written into the files' metadata (a mismatched feature set for refusal tests). */
  featureSetVersion?: string;
  rows?: number;
  seed?: number;
}

export interface WrittenModel {
  version: string;
  strategyId: string;
  dir: string;
  checksum: string;
}

function label(rule: TestModelRule, side: 'buy' | 'sell', return5: number): number {
  if (rule === 'always_buy') return side === 'buy' ? 1 : 0;
  if (rule === 'always_sell') return side === 'sell' ? 1 : 0;
  return (side === 'buy' ? return5 : -return5) > 0 ? 1 : 0;
}

/**
 * Trains a small model the way the trainer does (libs/features dataset rows and normaliser, the ml lib's
 * trainModel) and writes it with the ml lib's `saveModelVersion` under `storagePath/{version}`.
 */
export async function writeTestModel(storagePath: string, opts: TestModelOptions): Promise<WrittenModel> {
  await initTensorflow();
  const rule = opts.rule ?? 'momentum';
  const rand = seededRandom(opts.seed ?? 7);
  const n = opts.rows ?? 1_500;
  const records: DatasetRecord[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const snapshot = randomSnapshot(rand, 0.05);
    const side = rand() < 0.5 ? 'buy' : 'sell';
    const r5 = Number(snapshot.technical_indicators?.['return_5'] ?? 0);
    const y = label(rule, side, r5);
    records.push({ snapshot, side, timestamp: start + i * 60_000, label: y, ret: y ? 0.01 : -0.01 });
  }
  const ds = buildDatasetRows(records);
  const trainRows = Math.floor(ds.n * 0.8);
  const stats = fitNormalizer(ds.X.subarray(0, trainRows * ds.nFeatures), ds.nFeatures, { names: ds.names, featureSetVersion: ds.feature_set_version });
  const X = normalizeMatrix(stats, ds.X, new Float32Array(ds.X.length)) as Float32Array;
  const modelType = opts.modelType ?? 'logistic';
  const { model } = await trainModel({
    X,
    y: ds.y,
    n: ds.n,
    nFeatures: ds.nFeatures,
    validationFrom: trainRows,
    modelType,
    epochs: 15,
    batchSize: 128,
    learningRate: 0.05,
    patience: 4,
    classWeight: null,
    seed: opts.seed ?? 7,
  });
  const featureSetVersion = opts.featureSetVersion ?? FEATURE_SET_VERSION;
  const dir = path.join(storagePath, opts.version);
  const saved = await saveModelVersion(dir, model, {
    version: opts.version,
    strategy_id: opts.strategyId,
    model_type: modelType,
    feature_set_version: featureSetVersion,
    feature_names: ds.names,
    normalization: { ...stats, feature_set_version: featureSetVersion },
    training_config: { rule, class_weights: opts.classWeights ?? null },
    metrics: { accuracy: 0.9 },
    created_at: new Date(),
  });
  model.dispose();
  return { version: opts.version, strategyId: opts.strategyId, dir: saved.dir, checksum: saved.checksum };
}

/** Inserts the model_versions row of a written model (a candidate; activate it with the repository). */
export async function registerTestModel(repo: ModelVersionRepository, model: WrittenModel, featureSetVersion = FEATURE_SET_VERSION): Promise<void> {
  await repo.create({
    version: model.version,
    strategyId: model.strategyId,
    modelType: 'logistic',
    featureSetVersion,
    filePath: model.dir,
    checksum: model.checksum,
    metrics: { accuracy: 0.9 },
  });
}

export function modelEvent(type: ModelEventType, strategyId: string, version: string | null, previous: string | null = null): ModelEvent {
  return { event_type: type, strategy_id: strategyId, version, previous_version: previous, timestamp: new Date().toISOString(), trace_id: null, metadata: null };
}

/** Publishes a ModelEvent on the fanout exchange (persistent, confirmed), as the trainer and api-gateway do. */
export async function publishModelEvent(url: string, exchange: string, event: ModelEvent): Promise<void> {
  await publishToFanout(url, exchange, event);
}

/** Publishes one JSON message on a durable fanout exchange with a confirm (as exit-strategy republishes position updates). */
export async function publishToFanout(url: string, exchange: string, body: object): Promise<void> {
  await withRawConnection(url, async (conn) => {
    const ch = await conn.createConfirmChannel();
    await ch.assertExchange(exchange, 'fanout', { durable: true });
    ch.publish(exchange, '', Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json' });
    await ch.waitForConfirms();
    await ch.close();
  });
}

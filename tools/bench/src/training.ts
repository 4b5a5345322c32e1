/**
 * bench:training — the trainer's batch pipeline on 1,000,000 execution events joined to their signals in
 * PostgreSQL: dataset build (stream + features + labels), training in the worker thread, evaluation on the
 * held-out 20 %, save (model files + model_versions row + quality metrics). Prints wall time per phase,
 * rows/s, peak RSS (sampled every 50 ms; the worker thread shares the process) and the TensorFlow.js backend.
 *
 * Data: schema `bench_training` (kept between runs; seeded with COPY through pg-copy-streams when it does not
 * hold --rows executions, or with --reseed). Signals carry realistic market snapshots; the realised return
 * follows a learnable rule (follow the 5-candle momentum) with 10 % label noise.
 *
 *   npm run bench:training [-- --rows 1000000 --model mlp --epochs 4 --batch 4096 --readers 2 --reseed]
 * Last stdout line: {"rows":…,"total_s":…,"dataset_s":…,"train_s":…,"eval_s":…,"save_s":…,"peak_rss_mb":…,"backend":"…"}
 *
 * Cost curve: `--rows 100000,300000,1000000` runs each size in its own process (its own schema,
 * `bench_training_<rows>` for sizes other than 1M) and prints time, memory and growth between sizes;
 * last line {"sizes":[…],"growth":[…]}.
 */
import 'reflect-metadata';

import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TEST_DATABASE_URL } from '@model-service/repositories/testing';

import { runCostCurve, sizeList } from './cost-curve';
import { randomSnapshot, seededRandom } from '@model-service/features/testing';
import { saveModelVersion, startTrainingWorker } from '@model-service/ml';
import { createDataSource, ExecutionEventRepository, ModelVersionRepository, QualityMetricRepository, TradingSignalRepository } from '@model-service/repositories';
import { configureLogging, validateEnv } from '@model-service/util';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { loadRunDataset, metricsSummary, prepareTraining, qualityMetricRows, repositoryBounds, scoreArtifacts, TrainingEnv, trainingSettingsOf } from '@model-service/training';

const URL = TEST_DATABASE_URL;
const SCHEMA_BASE = 'bench_training';
const STRATEGY = 'bench_strategy';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const CURVE = sizeList('rows');
const ROWS = CURVE ? 0 : Number(arg('rows', '1000000'));
const MODEL = arg('model', 'mlp');
const EPOCHS = arg('epochs', '4');
const READERS = arg('readers', '2');
const BATCH = arg('batch', '4096');
const RESEED = process.argv.includes('--reseed');
/** 1M rows keep the historical schema name; other sizes get their own, so curves do not reseed every run. */
const SCHEMA = ROWS === 1_000_000 ? SCHEMA_BASE : `${SCHEMA_BASE}_${ROWS}`;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** COPY text-format field: \N for null, backslash and separators escaped. */
function f(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

function* seedLines(kind: 'signals' | 'executions', n: number): Generator<string> {
  const rand = seededRandom(42);
  const t0 = Date.UTC(2025, 0, 1);
  const chunk: string[] = [];
  for (let i = 0; i < n; i++) {
    // Both tables are generated from the same seed in the same order, so row i of each matches.
    const snapshot = randomSnapshot(rand, 0.05);
    const side = rand() < 0.5 ? 'buy' : 'sell';
    const momentum = Number(snapshot.technical_indicators?.['return_5'] ?? 0);
    let label = (side === 'buy' ? momentum : -momentum) > 0 ? 1 : 0;
    if (rand() < 0.1) label = 1 - label;
    const pct = (label ? 1 : -1) * (0.1 + rand());
    const signalId = uuidFrom(i);
    const ts = new Date(t0 + i * 30_000);
    const price = snapshot.price ?? 50_000;
    if (kind === 'signals') {
      chunk.push(
        [signalId, STRATEGY, 'BTCUSDT', side, 100, 0.6, ts.toISOString(), null, true, JSON.stringify(snapshot), '{}', randomUUID()].map(f).join('\t'),
      );
    } else {
      const qty = 100 / price;
      chunk.push(
        [
          `ev-${i}`, `ord-${i}`, signalId, STRATEGY, 'BTCUSDT', side, price, qty, 0.1, new Date(ts.getTime() + 2_000).toISOString(), price, ts.toISOString(),
          JSON.stringify({ spread: 1, volume_24h: 1000, volatility: 0.01 }),
          JSON.stringify({ slippage: 0, slippage_percent: 0, realized_pnl: pct, return_percent: pct }),
          pct, pct, 0, false,
        ].map(f).join('\t'),
      );
    }
    if (chunk.length === 5_000) yield `${chunk.splice(0).join('\n')}\n`;
  }
  if (chunk.length) yield `${chunk.join('\n')}\n`;
}

function uuidFrom(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** Applies the migrations the bench schema lacks (all of them on a new schema; new ones on a kept one). */
async function migrate(): Promise<void> {
  const ds = createDataSource({ url: URL, schema: SCHEMA });
  await ds.initialize();
  try {
    const started = Date.now();
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (applied.length > 0) log(`seed: ${applied.length} migration(s) applied to ${SCHEMA} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await ds.destroy();
  }
}

async function seed(): Promise<void> {
  const client = new Client({ connectionString: URL });
  await client.connect();
  try {
    const exists = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'execution_events'`, [SCHEMA]);
    if (exists.rowCount && !RESEED) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.execution_events`);
      if (rows[0].n === ROWS) {
        log(`seed: ${SCHEMA} already holds ${ROWS} executions`);
        return await migrate();
      }
    }
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
  } finally {
    await client.end();
  }
  await migrate();
  const started = Date.now();
  const copy = new Client({ connectionString: URL, options: `-c search_path=${SCHEMA}` });
  await copy.connect();
  try {
    await copy.query('SET synchronous_commit = off');
    await pipeline(
      Readable.from(seedLines('signals', ROWS)),
      copy.query(copyFrom(`COPY trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp", model_version, is_warmup, market_data_snapshot, metadata, trace_id) FROM STDIN`)),
    );
    await pipeline(
      Readable.from(seedLines('executions', ROWS)),
      copy.query(copyFrom(`COPY execution_events (event_id, order_id, signal_id, strategy_id, asset, side, execution_price, execution_quantity, execution_fees, executed_at, signal_price, signal_timestamp, market_conditions, performance, realized_pnl, return_percent, slippage_percent, is_partial_fill) FROM STDIN`)),
    );
    await copy.query('ANALYZE trading_signals; ANALYZE execution_events');
  } finally {
    await copy.end();
  }
  log(`seed: ${ROWS} signals + ${ROWS} executions copied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** sha256 over the dataset's X, y, returns and timestamps (their bytes, in that order). */
function datasetHash(d: { X: Float32Array; y: Float32Array; returns: Float32Array; timestamps: Float64Array; n: number }): string {
  const h = createHash('sha256');
  for (const a of [d.X, d.y, d.returns, d.timestamps]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return `${h.update(String(d.n)).digest('hex')}`;
}

async function main(): Promise<void> {
  configureLogging({ service: 'bench-training', level: 'warn' });
  await seed();
  const env = validateEnv(TrainingEnv, { MODEL_TYPE: MODEL, MODEL_TRAINING_EPOCHS: EPOCHS, MODEL_TRAINING_BATCH_SIZE: BATCH, MODEL_TRAINING_PATIENCE: '2', MODEL_TRAINING_DATASET_READERS: READERS });
  const settings = trainingSettingsOf(env);
  const store = mkdtempSync(path.join(tmpdir(), 'bench-training-'));
  const ds = createDataSource({ url: URL, schema: SCHEMA, applicationName: 'bench-training' });
  await ds.initialize();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    await ds.query(`DELETE FROM model_quality_metrics; DELETE FROM model_versions`);
    const t0 = Date.now();
    // As the trainer's pipeline does: the training thread starts (TensorFlow.js, backend) while the dataset loads.
    const worker = startTrainingWorker();
    const executions = new ExecutionEventRepository(ds);
    const bounds = repositoryBounds(executions, new TradingSignalRepository(ds));
    const { dataset, stats, plan } = await loadRunDataset(executions, { strategyId: STRATEGY }, settings, { readers: settings.datasetReaders, bounds });
    const prepared = prepareTraining(dataset, plan);
    const t1 = Date.now();
    log(`dataset: ${dataset.n} rows (${stats.rowsRead} read, ${stats.unlabelled} unlabelled) in ${((t1 - t0) / 1000).toFixed(2)} s, ${Math.round(dataset.n / ((t1 - t0) / 1000))} rows/s`);

    const result = await worker.run({
      X: prepared.X, y: prepared.y, n: prepared.n, nFeatures: prepared.nFeatures, validationFrom: prepared.validationFrom,
      modelType: settings.modelType, epochs: settings.epochs, batchSize: settings.batchSize, learningRate: settings.learningRate,
      patience: settings.patience, classWeight: 'balanced',
    }, { onProgress: (p) => log(`  epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} val_loss ${p.val_loss.toFixed(4)} val_acc ${p.val_accuracy.toFixed(4)} eta ${p.eta_seconds.toFixed(1)} s`) });
    const t2 = Date.now();
    const trainRowsPerS = Math.round((prepared.validationFrom * result.epochsRun) / ((t2 - t1) / 1000));
    log(`train: ${settings.modelType}, ${result.epochsRun} epochs × ${prepared.validationFrom} rows in ${((t2 - t1) / 1000).toFixed(2)} s (${trainRowsPerS} rows/s incl. validation), backend ${result.backend}`);

    const report = await scoreArtifacts(result.artifacts, { X: result.X, y: result.y, returns: prepared.returns }, prepared.validationFrom, prepared.n, settings.decisionThreshold);
    const t3 = Date.now();
    log(`eval: ${report.n} rows in ${((t3 - t2) / 1000).toFixed(2)} s — accuracy ${report.classification.accuracy.toFixed(4)} (baseline ${report.baseline.classification.accuracy.toFixed(4)}), roc_auc ${report.classification.roc_auc?.toFixed(4)}`);

    const version = `bench-${Date.now()}`;
    const summary = metricsSummary(report);
    const saved = await saveModelVersion(path.join(store, version), result.artifacts, {
      version, strategy_id: STRATEGY, model_type: settings.modelType, feature_set_version: dataset.feature_set_version, feature_names: dataset.names,
      normalization: prepared.stats, training_config: { epochs: settings.epochs, batch_size: settings.batchSize }, metrics: summary, created_at: new Date(),
    });
    const row = await new ModelVersionRepository(ds).create({
      version, strategyId: STRATEGY, modelType: settings.modelType, featureSetVersion: dataset.feature_set_version, filePath: saved.dir, checksum: saved.checksum,
      metrics: summary, trainingDatasetSize: dataset.n, trainingDurationSeconds: (t2 - t1) / 1000,
    });
    await new QualityMetricRepository(ds).insertMany(qualityMetricRows(report, { modelVersionId: row.id, strategyId: STRATEGY, evaluatedAt: new Date(), kind: 'held_out' }));
    const t4 = Date.now();
    log(`save: ${saved.bytes} bytes + version row + metrics in ${((t4 - t3) / 1000).toFixed(2)} s`);

    const s = (ms: number): number => Math.round(ms / 10) / 100;
    const out = {
      rows: dataset.n,
      total_s: s(t4 - t0),
      dataset_s: s(t1 - t0),
      train_s: s(t2 - t1),
      eval_s: s(t3 - t2),
      save_s: s(t4 - t3),
      peak_rss_mb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1048576),
      backend: result.backend,
    };
    const detail = {
      rows_per_s: Math.round(dataset.n / ((t4 - t0) / 1000)),
      dataset_rows_per_s: Math.round(dataset.n / ((t1 - t0) / 1000)),
      train_rows_per_s: trainRowsPerS,
      model: settings.modelType,
      epochs: result.epochsRun,
      batch_size: settings.batchSize,
      dataset_readers: settings.datasetReaders,
      accuracy: Math.round(report.classification.accuracy * 10_000) / 10_000,
      /** Taken after the timed stages: compare runs (and branches) for a dataset that is the same bit for bit. */
      dataset_sha256: datasetHash(dataset),
    };
    log(`total ${out.total_s} s (${detail.rows_per_s} rows/s end to end), peak RSS ${out.peak_rss_mb} MB`);
    process.stdout.write(`${JSON.stringify(detail)}\n${JSON.stringify(out)}\n`);
  } finally {
    clearInterval(sampler);
    await ds.destroy();
    rmSync(store, { recursive: true, force: true });
  }
}

const run = CURVE
  ? async (): Promise<void> => {
      const curve = runCostCurve(__filename, 'rows', CURVE, ['total_s', 'dataset_s', 'train_s', 'peak_rss_mb']);
      process.stdout.write(`${JSON.stringify(curve)}\n`);
    }
  : main;

run().catch((err: unknown) => {
  process.stderr.write(`bench:training failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

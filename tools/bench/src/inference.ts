/**
 * bench:inference — model-mode signals through a real signal-generator process on the real broker and database.
 *
 * Ten market-data-triggered strategies (one per asset), each with an active model: an MLP (64-32, the trainer's
 * default) trained here on fs-1 features with the ml lib and saved with `saveModelVersion`, rows activated in
 * model_versions before the app starts. MODEL_SIGNAL_MIN_CONFIDENCE=0 so every decision is published; the
 * position manager is a local HTTP stub (flat, answers cached as in production). Tickers are sent open-loop at
 * --rate per second with trace ids (order books refreshed every second); the first --warmup signals are not measured.
 *
 * - inference: per signal, building the BUY and SELL feature vectors, the model call for both and the feature hash,
 *   timed inside the app on the decision path (`metadata.inference_ms` of each model signal);
 * - e2e: ticker published to the broker -> the model signal it triggered, confirmed by the broker and delivered
 *   from `model-service.trading_signals`.
 *
 *   npm run bench:inference [-- --signals 5000 --rate 100 --warmup 300]
 *
 * Last stdout line: {"inference_p50_ms":…,"inference_p99_ms":…,"e2e_p99_ms":…}
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { buildDatasetRows, DatasetRecord, fitNormalizer, normalizeMatrix } from '@model-service/features';
import { randomSnapshot, seededRandom } from '@model-service/features/testing';
import { deleteExchanges, deleteQueues } from '@model-service/messaging/testing';
import { initTensorflow, saveModelVersion, trainModel } from '@model-service/ml';
import { AppProcess, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { ModelVersionRepository } from '@model-service/repositories';
import { createTestDataSource } from '@model-service/repositories/testing';
import { EXCHANGES, QUEUES } from '@model-service/signals';
import { exampleBybitOrderbook } from '@model-service/signals/testing';
import { connect } from 'amqplib';

import { numberArg, RABBITMQ_URL } from './bench-args';
import { ASSETS, fundEveryAsset, prepareMarketQueues, sendPricePath, strategyPerAsset, tickerMessage } from './bench-market';
import { percentile, round } from './bench-stats';
import { SignalTally } from './signal-tally';

const SIGNALS = numberArg('signals', 5_000);
const RATE = numberArg('rate', 100);
const WARMUP = numberArg('warmup', 300);

const round3 = (x: number): number => round(x, 3);

type Signal = { trace_id?: string; is_warmup?: boolean; metadata?: { inference_ms?: number } };
type ModelSignal = Signal & { metadata: { inference_ms: number } };
const fromModel = (s: Signal): s is ModelSignal => s.is_warmup === false && typeof s.metadata?.inference_ms === 'number';

/** An MLP as the trainer builds it, on fs-1 rows from the features lib, saved once per strategy (one active model each). */
async function writeModels(storage: string, versions: ModelVersionRepository, strategyIds: string[]): Promise<void> {
  await initTensorflow();
  const rand = seededRandom(17);
  const records: DatasetRecord[] = [];
  for (let i = 0; i < 4_000; i++) {
    const snapshot = randomSnapshot(rand, 0.05);
    const side = rand() < 0.5 ? 'buy' : 'sell';
    const r5 = Number(snapshot.technical_indicators?.['return_5'] ?? 0);
    const label = (side === 'buy' ? r5 : -r5) > 0 === rand() > 0.1 ? 1 : 0;
    records.push({ snapshot, side, timestamp: Date.UTC(2026, 0, 1) + i * 60_000, label, ret: label ? 0.01 : -0.01 });
  }
  const ds = buildDatasetRows(records);
  const trainRows = Math.floor(ds.n * 0.8);
  const stats = fitNormalizer(ds.X.subarray(0, trainRows * ds.nFeatures), ds.nFeatures, { names: ds.names, featureSetVersion: ds.feature_set_version });
  const X = normalizeMatrix(stats, ds.X, new Float32Array(ds.X.length)) as Float32Array;
  const { model, classWeights } = await trainModel({
    X, y: ds.y, n: ds.n, nFeatures: ds.nFeatures, validationFrom: trainRows, modelType: 'mlp',
    epochs: 8, batchSize: 256, learningRate: 0.005, patience: 3, classWeight: 'balanced',
  });
  for (const strategyId of strategyIds) {
    const version = `${strategyId}-bench-v1`;
    const saved = await saveModelVersion(path.join(storage, version), model, {
      version, strategy_id: strategyId, model_type: 'mlp', feature_set_version: ds.feature_set_version, feature_names: ds.names,
      normalization: stats, training_config: { class_weights: classWeights }, metrics: {}, created_at: new Date(),
    });
    await versions.create({ version, strategyId, modelType: 'mlp', featureSetVersion: ds.feature_set_version, filePath: saved.dir, checksum: saved.checksum });
    await versions.activate(version, strategyId);
  }
  model.dispose();
}

async function main(): Promise<void> {
  const prefix = `bench.inf.${randomBytes(4).toString('hex')}.`;
  const q = (name: string): string => `${prefix}${name}`;
  const db = await createTestDataSource({ prefix: 'bench_inf' });
  const storage = mkdtempSync(path.join(tmpdir(), 'bench-inference-'));
  const positionManager = createHttpServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
  });
  await new Promise<void>((resolve) => positionManager.listen(0, '127.0.0.1', resolve));
  let app: AppProcess | undefined;
  const conn = await connect(RABBITMQ_URL, { noDelay: true });
  conn.on('error', () => undefined);
  try {
    await fundEveryAsset(db.dataSource);
    const strategies = strategyPerAsset('momentum');
    await writeModels(storage, new ModelVersionRepository(db.dataSource), strategies.map((s) => s.id));

    const pub = await conn.createConfirmChannel();
    const sub = await conn.createChannel();
    await prepareMarketQueues(pub, sub, q);
    const send = (queue: string, body: object): void => void pub.sendToQueue(q(queue), Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json' });

    const port = await freePort();
    app = spawnApp('signal-generator', {
      MODEL_SERVICE_PORT: String(port),
      MODEL_SERVICE_SERVICE_NAME: 'signal-generator-bench-inference',
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      RABBITMQ_URL,
      QUEUE_PREFIX: prefix,
      TRADING_STRATEGIES: JSON.stringify(strategies),
      MODEL_STORAGE_PATH: storage,
      MODEL_SIGNAL_MIN_CONFIDENCE: '0',
      POSITION_MANAGER_URL: `http://127.0.0.1:${(positionManager.address() as { port: number }).port}`,
      POSITION_MANAGER_API_KEY: 'bench',
      SIGNAL_GENERATION_RATE_LIMIT: '10000000',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '10000000',
      SIGNAL_GENERATION_OWNERSHIP_RETRY_SECONDS: '0.5',
      LOG_FORMAT: 'json',
      NODE_ENV: 'production',
    });
    const ready = await waitForHttp(
      `http://127.0.0.1:${port}/health`,
      (s, b) => {
        const body = b as { ownership?: { owned?: string[] }; strategies?: Array<{ mode?: string }> };
        return s === 200 && (body.ownership?.owned?.length ?? 0) === ASSETS.length && (body.strategies ?? []).every((x) => x.mode === 'model');
      },
      120_000,
    );
    if (ready.status !== 200) throw new Error(`app did not become ready in model mode:\n${app.output().slice(-4000)}`);

    const e2e: number[] = [];
    const inference: number[] = [];
    const signals = new SignalTally<Signal, ModelSignal>(
      WARMUP,
      (s, ms) => {
        e2e.push(ms);
        inference.push(s.metadata.inference_ms);
      },
      fromModel,
    );
    await signals.consume(sub, q(QUEUES.TRADING_SIGNALS));

    // A few tickers more than needed: tickers of an asset arriving while its decision runs are coalesced.
    const total = Math.ceil((SIGNALS + WARMUP) * 1.1);
    const sendSeconds = await sendPricePath(total, RATE, (n, asset, price) => {
      if (n % (ASSETS.length * 10) < ASSETS.length) send(QUEUES.WS_ORDERBOOK, exampleBybitOrderbook(asset, price, { ts: Date.now(), step: price * 0.0001 }));
      const traceId = randomUUID();
      signals.sent(traceId);
      send(QUEUES.WS_TICKER, tickerMessage(n, asset, price, traceId));
    });
    await pub.waitForConfirms();
    await signals.waitForLast(total);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const inApp = [...metrics.matchAll(/model_service_model_inference_seconds_bucket\{le="([^"]+)"\} (\d+)/g)].map((m) => `<=${m[1]}s: ${m[2]}`);

    e2e.sort((a, b) => a - b);
    inference.sort((a, b) => a - b);
    console.log(`tickers sent: ${total} at ${Math.round(total / sendSeconds)}/s; model signals matched: ${signals.received} (first ${WARMUP} not measured), coalesced: ${total - signals.received}, unmatched: ${signals.unmatched}, not from a model: ${signals.rejected}`);
    console.log(`inference ms (both sides featurised + scored + hashed, in the app): p50 ${round3(percentile(inference, 50))} p90 ${round3(percentile(inference, 90))} p99 ${round3(percentile(inference, 99))} max ${round3(inference[inference.length - 1])}`);
    console.log(`e2e ms (ticker published -> model signal delivered): p50 ${round3(percentile(e2e, 50))} p95 ${round3(percentile(e2e, 95))} p99 ${round3(percentile(e2e, 99))} p99.9 ${round3(percentile(e2e, 99.9))} max ${round3(e2e[e2e.length - 1])}`);
    console.log(`model_service_model_inference_seconds (cumulative): ${inApp.join(', ')}`);
    if (e2e.length < SIGNALS) throw new Error(`only ${e2e.length} model signals measured (< ${SIGNALS}):\n${app.output().slice(-3000)}`);
    console.log(JSON.stringify({ inference_p50_ms: round3(percentile(inference, 50)), inference_p99_ms: round3(percentile(inference, 99)), e2e_p99_ms: round3(percentile(e2e, 99)) }));
  } finally {
    await app?.stop();
    await conn.close().catch(() => undefined);
    positionManager.close();
    const queues = [QUEUES.WS_TICKER, QUEUES.WS_ORDERBOOK, QUEUES.WS_KLINE, QUEUES.TRADING_SIGNALS, `${EXCHANGES.MARKET_DATA}.signal-generator`, `${EXCHANGES.MODEL_EVENTS}.signal-generator`, `${EXCHANGES.POSITION_EVENTS}.signal-generator`].map(q);
    await deleteQueues(RABBITMQ_URL, [...queues, ...queues.map((n) => `${n}.dlq`)]);
    await deleteExchanges(RABBITMQ_URL, [q(EXCHANGES.MARKET_DATA), q(EXCHANGES.MODEL_EVENTS), q(EXCHANGES.POSITION_EVENTS)]);
    await db.drop();
    rmSync(storage, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

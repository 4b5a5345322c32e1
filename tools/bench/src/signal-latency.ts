/**
 * bench:signal-latency — market-data message published to the broker -> resulting signal delivered from
 * `model-service.trading_signals` (the app publishes it with a broker confirm), end to end through a real
 * signal-generator process on the real broker and database, rate limits lifted.
 *
 * One market-data-triggered warm-up strategy per asset (10 assets, frequency 1 ms), so every ticker makes one
 * signal, except tickers of an asset replaced by a newer one while its previous decision runs (the app counts
 * them: signals_skipped_total{reason="coalesced"}); the signal carries the ticker's trace id. The bench fails
 * unless every ticker sent is accounted for: signals received + coalesced = tickers sent.
 * End point: ticker published → its signal received by a consumer of the trading-signals queue. Tickers are sent open-loop at --rate per second; the
 * first --warmup signals are not measured. Prints p50/p95/p99 over >= 5,000 signals and the app's RSS.
 *
 *   npm run bench:signal-latency [-- --signals 5000 --rate 100 --warmup 300 --cpu-prof DIR]
 *
 * --cpu-prof DIR writes a V8 CPU profile of the app process into DIR (open it in Chrome DevTools).
 *
 * Last stdout line: {"p50_ms":…,"p95_ms":…,"p99_ms":…,"signals":…,"tickers_sent":…,"signals_received":…,"coalesced":…,"missing":0,…}
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { deleteExchanges, deleteQueues } from '@model-service/messaging/testing';
import { AppProcess, buildApp, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { createTestDataSource } from '@model-service/repositories/testing';
import { EXCHANGES, QUEUES } from '@model-service/signals';
import { connect } from 'amqplib';

import { numberArg, RABBITMQ_URL } from './bench-args';
import { cpuProfileArgs, cpuSecondsOf, rssOf } from './process-figures';
import { ASSETS, fundEveryAsset, prepareMarketQueues, sendPricePath, strategyPerAsset, tickerMessage } from './bench-market';
import { latencyPercentiles, percentile, round } from './bench-stats';
import { SignalTally } from './signal-tally';

const SIGNALS = Math.max(5_000, numberArg('signals', 5_000));
const RATE = numberArg('rate', 100);
const WARMUP = numberArg('warmup', 300);

async function main(): Promise<void> {
  const prefix = `bench.sig.${randomBytes(4).toString('hex')}.`;
  const q = (name: string): string => `${prefix}${name}`;
  const db = await createTestDataSource({ prefix: 'bench_sig' });
  let app: AppProcess | undefined;
  const conn = await connect(RABBITMQ_URL, { noDelay: true });
  conn.on('error', () => undefined);
  try {
    await fundEveryAsset(db.dataSource);
    const pub = await conn.createConfirmChannel();
    const sub = await conn.createChannel();
    await prepareMarketQueues(pub, sub, q);

    const port = await freePort();
    const strategies = strategyPerAsset('random');
    // The production bundle (webpack), as deployed: its RSS is the app's, without ts-node's compiler.
    // --ts-node runs the sources instead.
    const bundle = process.argv.includes('--ts-node') ? undefined : buildApp('signal-generator');
    app = spawnApp('signal-generator', {
      MODEL_SERVICE_PORT: String(port),
      MODEL_SERVICE_SERVICE_NAME: 'signal-generator-bench',
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      RABBITMQ_URL,
      QUEUE_PREFIX: prefix,
      TRADING_STRATEGIES: JSON.stringify(strategies),
      SIGNAL_GENERATION_RATE_LIMIT: '10000000',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '10000000',
      SIGNAL_GENERATION_OWNERSHIP_RETRY_SECONDS: '0.5',
      LOG_FORMAT: 'json',
      NODE_ENV: 'production',
    }, { bundle, nodeArgs: cpuProfileArgs() });
    const ready = await waitForHttp(
      `http://127.0.0.1:${port}/health`,
      (s, b) => s === 200 && ((b as { ownership?: { owned?: string[] } }).ownership?.owned?.length ?? 0) === ASSETS.length,
      120_000,
    );
    if (ready.status !== 200) throw new Error(`app did not become ready:\n${app.output().slice(-4000)}`);

    const latencies: number[] = [];
    const signals = new SignalTally(WARMUP, (_signal, ms) => latencies.push(ms));
    await signals.consume(sub, q(QUEUES.TRADING_SIGNALS));

    // A few tickers more than needed: coalesced ones (see above) produce no signal of their own.
    const total = Math.ceil((SIGNALS + WARMUP) * 1.1);
    const cpuBefore = cpuSecondsOf(app.child.pid!);
    const sendSeconds = await sendPricePath(total, RATE, (n, asset, price) => {
      const traceId = randomUUID();
      const body = tickerMessage(n, asset, price, traceId);
      signals.sent(traceId);
      pub.sendToQueue(q(QUEUES.WS_TICKER), Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json' });
    });
    await pub.waitForConfirms();
    await signals.waitForLast(total);
    const { received, unmatched } = signals;
    const mem = rssOf(app.child.pid!);
    const cpuPerSignalMs = ((cpuSecondsOf(app.child.pid!) - cpuBefore) / Math.max(1, received)) * 1000;
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const coalesced = [...metrics.matchAll(/model_service_signals_skipped_total\{[^}]*reason="coalesced"[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const inApp = [...metrics.matchAll(/model_service_signal_pipeline_seconds_bucket\{le="([^"]+)"\} (\d+)/g)].map((m) => `<=${m[1]}s: ${m[2]}`);

    latencies.sort((a, b) => a - b);
    const result = {
      ...latencyPercentiles(latencies),
      signals: latencies.length,
      tickers_sent: total,
      signals_received: received,
      coalesced,
      missing: total - received - coalesced,
      unmatched,
      rss_mb: Math.round(mem.rss),
      end_point: 'signal received from the trading-signals queue (after the confirmed publish)',
    };
    console.log(`tickers sent: ${total} at ${Math.round(total / sendSeconds)}/s; signals matched: ${received} (first ${WARMUP} not measured), coalesced in the app: ${coalesced}, missing: ${result.missing}, unmatched: ${unmatched}`);
    console.log(`latency ms: min ${round(latencies[0])} p50 ${result.p50_ms} p90 ${round(percentile(latencies, 90))} p95 ${result.p95_ms} p99 ${result.p99_ms} p99.9 ${round(percentile(latencies, 99.9))} max ${round(latencies[latencies.length - 1])}`);
    console.log(`in the app, decision -> broker confirm (cumulative): ${inApp.join(', ')}`);
    console.log(`app CPU per signal: ${round(cpuPerSignalMs)} ms (consume, decide, one account read, validate, publish, store)`);
    console.log(`app RSS: ${result.rss_mb} MB now, ${Math.round(mem.peak)} MB peak (${bundle ? 'built bundle' : 'ts-node process, sources compiled in memory'})`);
    console.log(JSON.stringify(result));
    if (result.missing !== 0 || unmatched !== 0) throw new Error(`${result.missing} tickers sent made neither a signal nor were coalesced; ${unmatched} signals unmatched`);
    if (latencies.length < SIGNALS) throw new Error(`only ${latencies.length} signals measured (< ${SIGNALS}):\n${app.output().slice(-3000)}`);
  } finally {
    await app?.stop();
    await conn.close().catch(() => undefined);
    const names = [QUEUES.WS_TICKER, QUEUES.WS_ORDERBOOK, QUEUES.WS_KLINE, QUEUES.TRADING_SIGNALS, `${EXCHANGES.MARKET_DATA}.signal-generator`].map(q);
    await deleteQueues(RABBITMQ_URL, [...names, ...names.map((n) => `${n}.dlq`)]);
    await deleteExchanges(RABBITMQ_URL, [q(EXCHANGES.MARKET_DATA)]);
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

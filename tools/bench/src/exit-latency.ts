/**
 * bench:exit-latency — the exit-strategy app as a separate process against the real broker and database.
 *
 *  1. Throughput: 1,000 open positions, a backlog of price updates (inside the no-exit band) waiting in
 *     the app's queue before it starts; updates/s = the rate at which the app takes them in (each one is
 *     evaluated, or folded into its position's pending newest update by the debounce).
 *  2. Latency: exactly --exits exit-triggering updates (stop loss / take profit alternately) published
 *     open-loop at --rate per second round-robin over the positions (so none is debounced away),
 *     cooldown and the per-asset cap lifted. End point: update published → its exit signal (same
 *     trace_id) received by a consumer of the trading-signals queue, i.e. after the app's publish was
 *     confirmed by the broker. Every update sent must come back as a signal, or the bench fails.
 *  3. Burst: --burst updates at once for each of 20 quiet positions (no exit band): the leading-edge
 *     debounce evaluates each position's first update at once and then the newest once per window,
 *     so coalesced > 0 (reported with the evaluations; the bench fails otherwise).
 * RSS = the app process's peak resident memory (VmHWM). The bench reads the app's /metrics only between phases
 * (and, in the throughput phase, to count updates taken in), never while latency is measured. App config = defaults except the
 * lifted rate limits and an isolated queue prefix / schema.
 *
 *   npm run bench:exit-latency [-- --positions 1000 --exits 5000 --rate 250 --backlog 100000 --burst 100 --cpu-prof DIR]
 *
 * --cpu-prof DIR writes a V8 CPU profile of the app process into DIR (open it in Chrome DevTools).
 */
import { buildApp, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { createTestDataSource } from '@model-service/repositories/testing';
import { EXCHANGES, QUEUES } from '@model-service/signals';
import { connect, type ConfirmChannel } from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { intArg, RABBITMQ_URL } from './bench-args';
import { latencyPercentiles, percentile, round } from './bench-stats';
import { cpuProfileArgs, cpuSecondsOf, rssOf } from './process-figures';

const POSITIONS = intArg('positions', 1_000);
const EXITS = intArg('exits', 5_000);
const RATE = intArg('rate', 250);
const BACKLOG = intArg('backlog', 100_000);
const BURST = intArg('burst', 100);
const BURST_POSITIONS = 20;

const T0 = Date.UTC(2026, 0, 1);
let seq = 0;

function update(i: number, price: number, traceId: string): Buffer {
  const entry = 100;
  return Buffer.from(
    JSON.stringify({
      position_id: `bench-pos-${i}`,
      asset: 'BTCUSDT',
      strategy_id: `bench-${i}`,
      size: 0.5,
      average_entry_price: entry,
      current_price: price,
      unrealized_pnl: (price - entry) * 0.5,
      unrealized_pnl_pct: price - entry,
      realized_pnl: 0,
      opened_at: new Date(T0).toISOString(),
      timestamp: new Date(T0 + ++seq).toISOString(),
      trace_id: traceId,
    }),
  );
}

/** Sum of a model_service_* metric's samples in a Prometheus text answer. */
function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function main(): Promise<void> {
  const prefix = `bench.${randomBytes(4).toString('hex')}.`;
  const queues = {
    updates: `${prefix}${QUEUES.POSITION_UPDATED}`,
    signals: `${prefix}${QUEUES.TRADING_SIGNALS}`,
    exchange: `${prefix}${EXCHANGES.POSITION_EVENTS}`,
  };
  const db = await createTestDataSource({ prefix: 'bench_exit', poolSize: 1 });
  const conn = await connect(RABBITMQ_URL, { noDelay: true });
  conn.on('error', () => undefined);
  const pub: ConfirmChannel = await conn.createConfirmChannel();
  const sub = await conn.createChannel();
  const port = await freePort();
  // The production bundle (webpack), as deployed: its RSS is the app's, without ts-node's compiler.
  // --ts-node runs the sources instead.
  const bundle = process.argv.includes('--ts-node') ? undefined : buildApp('exit-strategy');
  const app = spawnApp('exit-strategy', {
    DATABASE_SCHEMA: db.schema,
    QUEUE_PREFIX: prefix,
    EXIT_STRATEGY_COOLDOWN_SECONDS: '0',
    EXIT_STRATEGY_RATE_LIMIT: '0',
    MODEL_SERVICE_PORT: String(port),
    MODEL_SERVICE_LOG_LEVEL: 'warn',
    MODEL_SERVICE_SERVICE_NAME: `exit-strategy-bench-${port}`,
    NODE_ENV: 'production',
  }, { bundle, nodeArgs: cpuProfileArgs() });
  const metricsUrl = `http://127.0.0.1:${port}/metrics`;
  const scrape = async (): Promise<string> => (await fetch(metricsUrl)).text();

  try {
    // 1. The backlog waits in the queue (declared plain, as the position manager declares it) before the app consumes.
    await pub.assertQueue(queues.updates, { durable: true });
    await pub.assertQueue(queues.signals, { durable: true });
    for (let i = 0; i < POSITIONS; i++) pub.sendToQueue(queues.updates, update(i, 100, randomUUID()), { persistent: true });
    for (let n = 0; n < BACKLOG; n++) {
      const price = 99 + ((n * 7919) % 2000) / 1000; // 99.000 .. 100.999: no stop loss, no take profit
      pub.sendToQueue(queues.updates, update(n % POSITIONS, price, 'bench-backlog'), { persistent: true });
      if (n % 5_000 === 4_999) await pub.waitForConfirms();
    }
    await pub.waitForConfirms();
    const total = POSITIONS + BACKLOG;
    process.stdout.write(`backlog ready: ${total} updates for ${POSITIONS} positions; starting the app\n`);

    const health = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 200, 90_000);
    if (health.status !== 200) throw new Error(`app not healthy: ${JSON.stringify(health.body)}\n${app.output()}`);
    const healthyAt = performance.now();
    let first: { t: number; n: number } | undefined;
    let last = { t: 0, n: 0 };
    for (;;) {
      const text = await scrape();
      const n = metric(text, 'model_service_exit_updates_received_total');
      const t = performance.now();
      if (!first && n > 0) first = { t, n };
      last = { t, n };
      if (n >= total) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Taken in whole between two scrapes: counted from the moment /health answered instead (a lower bound), never left unmeasured.
    const updatesPerS = first && last.t > first.t ? (last.n - first.n) / ((last.t - first.t) / 1000) : last.n / ((last.t - healthyAt) / 1000);
    await new Promise((r) => setTimeout(r, 500));
    const afterBacklog = await scrape();
    process.stdout.write(
      `throughput: ${Math.round(updatesPerS)} updates/s taken in; ` +
        `${metric(afterBacklog, 'model_service_exit_evaluations_total')} evaluations, ` +
        `${metric(afterBacklog, 'model_service_exit_updates_coalesced_total')} coalesced, ` +
        `${metric(afterBacklog, 'model_service_exit_signals_total')} signals\n`,
    );

    // 2. Open-loop exits; each update's trace id comes back on its signal.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await sub.prefetch(1_000);
    await sub.consume(
      queues.signals,
      (msg) => {
        if (!msg) return;
        const at = performance.now();
        const traceId = (JSON.parse(msg.content.toString('utf8')) as { trace_id: string }).trace_id;
        const t0 = sentAt.get(traceId);
        if (t0 !== undefined) {
          latencies.push(at - t0);
          sentAt.delete(traceId);
        }
        if (latencies.length >= EXITS) done();
      },
      { noAck: true },
    );
    const pid = app.child.pid!;
    const cpuBefore = cpuSecondsOf(pid);
    let n = 0;
    const started = performance.now();
    const timer = setInterval(() => {
      const due = Math.min(EXITS, Math.floor(((performance.now() - started) / 1000) * RATE));
      for (; n < due; n++) {
        const traceId = randomUUID();
        const price = n % 2 === 0 ? 97.5 : 103.5; // −2.5 %: stop loss; +3.5 %: take profit
        sentAt.set(traceId, performance.now());
        pub.sendToQueue(queues.updates, update(n % POSITIONS, price, traceId), { persistent: true });
      }
    }, 5);
    const timeout = setTimeout(() => done(), EXITS / RATE * 1000 + 60_000);
    await finished;
    clearInterval(timer);
    clearTimeout(timeout);
    const rateSeconds = (performance.now() - started) / 1000;
    const cpuPerExitMs = ((cpuSecondsOf(pid) - cpuBefore) / Math.max(1, latencies.length)) * 1000;
    latencies.sort((a, b) => a - b);
    const missing = n - latencies.length;
    const inApp = [...(await scrape()).matchAll(/model_service_exit_signal_latency_seconds_bucket\{le="([^"]+)"\} (\d+)/g)].map((m) => `<=${m[1]}s: ${m[2]}`);
    process.stdout.write(
      `latency (update published → its exit signal received from the trading-signals queue): ` +
        `${latencies.length} of ${n} exits sent came back in ${round(rateSeconds, 1)} s at ${RATE} updates/s offered; ` +
        `min ${round(latencies[0] ?? NaN)} ms, p99.9 ${round(percentile(latencies, 99.9))} ms, max ${round(latencies[latencies.length - 1] ?? NaN)} ms\n` +
        `in the app, update received → signal confirmed (cumulative, whole run): ${inApp.join(', ')}\n` +
        `app CPU per exit: ${round(cpuPerExitMs)} ms (consume, evaluate, publish, state write, record insert, plus whatever else the app did meanwhile)\n`,
    );

    // 3. Bursts for quiet positions (updates inside the no-exit band), all published at once.
    const beforeBurst = await scrape();
    const received0 = metric(beforeBurst, 'model_service_exit_updates_received_total');
    const evaluations0 = metric(beforeBurst, 'model_service_exit_evaluations_total');
    const coalesced0 = metric(beforeBurst, 'model_service_exit_updates_coalesced_total');
    for (let b = 0; b < BURST; b++) {
      for (let i = 0; i < BURST_POSITIONS; i++) pub.sendToQueue(queues.updates, update(i, 99.5 + b / (10 * BURST), 'bench-burst'), { persistent: true });
    }
    await pub.waitForConfirms();
    const burstTotal = BURST * BURST_POSITIONS;
    const burstDeadline = performance.now() + 60_000;
    let afterBurst = beforeBurst;
    while (metric(afterBurst, 'model_service_exit_updates_received_total') < received0 + burstTotal && performance.now() < burstDeadline) {
      await new Promise((r) => setTimeout(r, 50));
      afterBurst = await scrape();
    }
    await new Promise((r) => setTimeout(r, 500)); // the windows close
    afterBurst = await scrape();
    const burstEvaluations = metric(afterBurst, 'model_service_exit_evaluations_total') - evaluations0;
    const burstCoalesced = metric(afterBurst, 'model_service_exit_updates_coalesced_total') - coalesced0;
    process.stdout.write(
      `burst: ${BURST} updates at once for each of ${BURST_POSITIONS} positions → ${burstEvaluations} evaluations, ${burstCoalesced} coalesced\n`,
    );

    const end = await scrape();
    const counters = end
      .split('\n')
      .filter((l) => /^model_service_(exit_(signals|updates_skipped|signals_suppressed|failures|evaluations|updates_coalesced)_total|publish_failures_total)/.test(l))
      .join('; ');
    process.stdout.write(`app counters: ${counters}\n`);
    const result = {
      ...latencyPercentiles(latencies),
      exits: latencies.length,
      exits_sent: n,
      exits_missing: missing,
      updates_per_s: Math.round(updatesPerS),
      burst_updates: burstTotal,
      burst_evaluations: burstEvaluations,
      burst_coalesced: burstCoalesced,
      end_point: 'exit signal received from the trading-signals queue (after the confirmed publish)',
      rss_mb: round(rssOf(app.child.pid!).peak, 1),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (missing !== 0) throw new Error(`${missing} of ${n} exit updates sent never came back as a signal`);
    if (burstCoalesced <= 0) throw new Error(`burst: nothing was coalesced (${burstEvaluations} evaluations)`);
  } finally {
    await app.stop();
    for (const q of [queues.updates, `${queues.updates}.dlq`, queues.signals]) await pub.deleteQueue(q).catch(() => undefined);
    await pub.deleteExchange(queues.exchange).catch(() => undefined);
    await conn.close().catch(() => undefined);
    await db.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:exit-latency failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

/**
 * bench:broker-floor — the latency the broker and one Node process give on this machine for the signal
 * path's shape, with nothing of ours in between: the floor under bench:signal-latency.
 *
 * The bench sends the same tickers as bench:signal-latency (ten assets round robin, open loop at --rate per
 * second, persistent, on a confirm channel) to a durable queue. A relay process (broker-floor.relay.ts)
 * consumes them and publishes one message each, persistent with confirms, to a fanout exchange bound to two
 * durable queues, as the apps publish a signal to the order manager's queue and the records queue. The bench
 * consumes the first queue, the relay drains the second.
 * End point: ticker published → relayed message received from the order-manager-side queue. The first
 * --warmup messages are not measured; the bench fails unless every ticker sent comes back.
 *
 *   npm run bench:broker-floor [-- --messages 5000 --rate 100 --warmup 300]
 *
 * Last stdout line: {"p50_ms":…,"p95_ms":…,"p99_ms":…,"messages":…,"sent":…,"missing":0,"end_point":…}
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { deleteExchanges, deleteQueues } from '@model-service/messaging/testing';
import { connect } from 'amqplib';

import { numberArg, RABBITMQ_URL } from './bench-args';
import { sendPricePath, tickerMessage } from './bench-market';
import { latencyPercentiles, percentile, round } from './bench-stats';
import { SignalTally } from './signal-tally';

const MESSAGES = Math.max(5_000, numberArg('messages', 5_000));
const RATE = numberArg('rate', 100);
const WARMUP = numberArg('warmup', 300);

async function main(): Promise<void> {
  const prefix = `bench.floor.${randomBytes(4).toString('hex')}.`;
  const names = { in: `${prefix}ticker`, exchange: `${prefix}signals`, out: `${prefix}trading_signals`, records: `${prefix}records` };
  const conn = await connect(RABBITMQ_URL, { noDelay: true });
  conn.on('error', () => undefined);
  let relay: ChildProcessByStdio<null, Readable, null> | undefined;
  try {
    const pub = await conn.createConfirmChannel();
    const sub = await conn.createChannel();
    await pub.assertQueue(names.in, { durable: true });
    await pub.assertExchange(names.exchange, 'fanout', { durable: true });
    for (const q of [names.out, names.records]) {
      await pub.assertQueue(q, { durable: true });
      await pub.bindQueue(q, names.exchange, '');
    }
    // Started once its queues exist: consuming a missing queue would close the relay's channel.
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'broker-floor.relay.ts')], {
      env: { ...process.env, RABBITMQ_URL, RELAY_IN: names.in, RELAY_EXCHANGE: names.exchange, RELAY_RECORDS: names.records, TS_NODE_PROJECT: 'tsconfig.tools.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    relay = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the relay did not report ready within 60 s')), 60_000);
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && (clearTimeout(timer), resolve()));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`relay exited with ${code}`))));
    });

    const latencies: number[] = [];
    const tally = new SignalTally(WARMUP, (_m, ms) => latencies.push(ms));
    await tally.consume(sub, names.out);
    const total = MESSAGES + WARMUP;
    const sendSeconds = await sendPricePath(total, RATE, (n, asset, price) => {
      const traceId = randomUUID();
      const body = tickerMessage(n, asset, price, traceId);
      tally.sent(traceId);
      pub.sendToQueue(names.in, Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json' });
    });
    await pub.waitForConfirms();
    await tally.waitForLast(total);

    latencies.sort((a, b) => a - b);
    const result = {
      ...latencyPercentiles(latencies),
      messages: latencies.length,
      sent: total,
      missing: total - tally.received,
      end_point: 'relayed message received from the durable queue the fanout feeds (after the relay published it with confirms)',
    };
    console.log(`sent ${total} at ${Math.round(total / sendSeconds)}/s; received ${tally.received} (first ${WARMUP} not measured); missing ${result.missing}`);
    console.log(`latency ms: min ${round(latencies[0]!)} p50 ${result.p50_ms} p90 ${round(percentile(latencies, 90))} p95 ${result.p95_ms} p99 ${result.p99_ms} p99.9 ${round(percentile(latencies, 99.9))} max ${round(latencies[latencies.length - 1]!)}`);
    console.log(JSON.stringify(result));
    if (result.missing !== 0) throw new Error(`${result.missing} tickers sent were not relayed`);
  } finally {
    // The relay goes first, so deleting its queues cannot print a channel error after the JSON line.
    if (relay && relay.exitCode === null) {
      const exited = new Promise((resolve) => relay!.once('exit', resolve));
      relay.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    }
    await conn.close().catch(() => undefined);
    await deleteQueues(RABBITMQ_URL, [names.in, names.out, names.records]);
    await deleteExchanges(RABBITMQ_URL, [names.exchange]);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

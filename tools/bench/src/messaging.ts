/**
 * bench:messaging — publish-with-confirms and consume throughput (msgs/s) of @model-service/messaging
 * next to raw amqplib on the same broker in the same run.
 *
 * Each round moves `messages` messages per side. To give both sides the same broker conditions on a
 * busy machine, the work is cut into chunks that alternate lib / raw; a side's rate is its messages
 * divided by the sum of its chunk times. Figures are medians over rounds. Raw publishing is an amqplib
 * confirm channel with a window of `window` outstanding messages; the lib publishes with the same
 * number of concurrent `sendToQueue` calls. Consuming: same prefetch, JSON.parse + ack per message.
 * Last stdout line: one JSON object with the four medians.
 *
 *   npm run bench:messaging [-- --messages 50000 --rounds 3 --chunks 10 --window 1000 --prefetch 500]
 */
import { Consumer, Publisher, RabbitConnection } from '@model-service/messaging';
import { configureLogging } from '@model-service/util';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { randomUUID } from 'node:crypto';

import { intArg, RABBITMQ_URL } from './bench-args';

const MESSAGES = intArg('messages', 50_000);
const ROUNDS = intArg('rounds', 3);
const CHUNKS = intArg('chunks', 10);
const WINDOW = intArg('window', 1_000);
const PREFETCH = intArg('prefetch', 500);
const CHUNK = Math.ceil(MESSAGES / CHUNKS);

/** A ticker-sized message (~250 bytes of JSON), like ws-gateway sends. */
function payload(n: number): Record<string, unknown> {
  return {
    event_type: 'ticker',
    topic: 'tickers.BTCUSDT',
    n,
    payload: { symbol: 'BTCUSDT', lastPrice: '65000.5', bid1Price: '65000.4', ask1Price: '65000.6', volume24h: '12345.678' },
    received_at: '2026-01-01T00:00:00.000Z',
    trace_id: 'bench',
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return Math.round(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2);
};
const pct = (a: number, b: number): string => `${Math.round((a / b) * 100)}%`;

/** Runs sends n = from .. from+count-1 with at most `window` in flight; each send resolves on its confirm. */
async function windowed(from: number, count: number, send: (n: number) => Promise<void>): Promise<number> {
  let next = from;
  const end = from + count;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(WINDOW, count) }, async () => {
      while (next < end) await send(next++);
    }),
  );
  return performance.now() - t0;
}

function rawSend(ch: ConfirmChannel, queue: string, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    ch.sendToQueue(
      queue,
      Buffer.from(JSON.stringify(payload(n))),
      { persistent: true, contentType: 'application/json', messageId: randomUUID(), headers: { trace_id: 'bench' } },
      (err) => (err ? reject(err) : resolve()),
    );
  });
}

/**
 * Consumes until `target` more messages were handled; returns the time from the first to the target-th
 * message (setup and stop excluded for both sides) and how many were handled in total.
 */
type ChunkConsumer = (queue: string, target: number) => Promise<{ ms: number; handled: number }>;

function timer(target: number): { tick: () => void; done: Promise<number>; count: () => number } {
  let seen = 0;
  let t0 = 0;
  let resolve!: (ms: number) => void;
  const done = new Promise<number>((r) => (resolve = r));
  return {
    tick: () => {
      if (seen === 0) t0 = performance.now();
      if (++seen === target) resolve(performance.now() - t0);
    },
    done,
    count: () => seen,
  };
}

function rawChunk(conn: ChannelModel): ChunkConsumer {
  return async (queue, target) => {
    const ch = await conn.createChannel();
    await ch.prefetch(PREFETCH);
    const t = timer(target);
    const { consumerTag } = await ch.consume(queue, (msg) => {
      if (!msg) return;
      JSON.parse(msg.content.toString('utf8'));
      ch.ack(msg);
      t.tick();
    });
    const ms = await t.done;
    await ch.cancel(consumerTag);
    await ch.close(); // unacked prefetched messages go back to the queue
    return { ms, handled: t.count() };
  };
}

function libChunk(connection: RabbitConnection): ChunkConsumer {
  return async (queue, target) => {
    const consumer = new Consumer(connection);
    const t = timer(target);
    await consumer.consume({ queue, prefetch: PREFETCH }, () => t.tick());
    const ms = await t.done;
    await consumer.stop(); // messages not yet handled are returned to the queue
    return { ms, handled: t.count() };
  };
}

interface Side {
  name: 'lib' | 'raw';
  queue: string;
  publish: (from: number, count: number) => Promise<number>;
  consume: ChunkConsumer;
  publishMs: number;
  consumeMs: number;
  /** Handled in total (a few more than timed: those that arrived while a chunk was stopping). */
  consumed: number;
  timed: number;
}

async function round(sides: Side[], index: number): Promise<void> {
  for (const s of sides) Object.assign(s, { publishMs: 0, consumeMs: 0, consumed: 0, timed: 0 });
  // Alternate the order within the round and flip it every round.
  const order = (i: number): Side[] => ((i + index) % 2 === 0 ? sides : [...sides].reverse());
  for (let c = 0; c < CHUNKS; c++) {
    for (const s of order(c)) s.publishMs += await s.publish(c * CHUNK, Math.min(CHUNK, MESSAGES - c * CHUNK));
  }
  for (let c = 0; c < CHUNKS; c++) {
    for (const s of order(c)) {
      const target = Math.min(CHUNK, MESSAGES - s.consumed);
      if (target <= 0) continue;
      const { ms, handled } = await s.consume(s.queue, target);
      s.consumeMs += ms;
      s.consumed += handled;
      s.timed += target;
    }
  }
}

async function main(): Promise<void> {
  configureLogging({ service: 'bench-messaging', level: 'warn' });
  const conn = await connect(RABBITMQ_URL, { noDelay: true });
  conn.on('error', () => undefined);
  const rawCh = await conn.createConfirmChannel();
  const connection = new RabbitConnection({ url: RABBITMQ_URL, name: 'bench-messaging' });
  await connection.waitForConnect();
  const publisher = new Publisher(connection);
  const results = { lib_publish: [] as number[], raw_publish: [] as number[], lib_consume: [] as number[], raw_consume: [] as number[] };
  const queues: string[] = [];

  console.log(
    `messaging bench: ${MESSAGES} messages per side x ${ROUNDS} rounds in ${CHUNKS} alternating chunks, ` +
      `publish window ${WINDOW}, prefetch ${PREFETCH}, broker ${RABBITMQ_URL.replace(/:[^:@/]*@/, ':***@')}`,
  );
  for (let r = 0; r < ROUNDS; r++) {
    const libQ = `bench.messaging.lib.${randomUUID().slice(0, 8)}`;
    const rawQ = `bench.messaging.raw.${randomUUID().slice(0, 8)}`;
    queues.push(libQ, `${libQ}.dlq`, rawQ);
    await publisher.assertQueue(libQ);
    await rawCh.assertQueue(rawQ, { durable: true });
    const lib: Side = {
      name: 'lib',
      queue: libQ,
      publish: (from, count) => windowed(from, count, (n) => publisher.sendToQueue(libQ, payload(n))),
      consume: libChunk(connection),
      publishMs: 0,
      consumeMs: 0,
      consumed: 0,
      timed: 0,
    };
    const raw: Side = {
      name: 'raw',
      queue: rawQ,
      publish: (from, count) => windowed(from, count, (n) => rawSend(rawCh, rawQ, n)),
      consume: rawChunk(conn),
      publishMs: 0,
      consumeMs: 0,
      consumed: 0,
      timed: 0,
    };
    await round([lib, raw], r);
    const rate = (count: number, ms: number): number => Math.round((count / ms) * 1000);
    const [lp, rp] = [rate(MESSAGES, lib.publishMs), rate(MESSAGES, raw.publishMs)];
    const [lc, rc] = [rate(lib.timed, lib.consumeMs), rate(raw.timed, raw.consumeMs)];
    results.lib_publish.push(lp);
    results.raw_publish.push(rp);
    results.lib_consume.push(lc);
    results.raw_consume.push(rc);
    console.log(`round ${r + 1}: publish lib ${lp} / raw ${rp} msg/s (${pct(lp, rp)}), consume lib ${lc} / raw ${rc} msg/s (${pct(lc, rc)})`);
  }

  const ch = await conn.createChannel();
  for (const q of queues) await ch.deleteQueue(q);
  await ch.close();
  await rawCh.close();
  await publisher.close();
  await connection.close();
  await conn.close();

  const out = {
    lib_publish_per_s: median(results.lib_publish),
    raw_publish_per_s: median(results.raw_publish),
    lib_consume_per_s: median(results.lib_consume),
    raw_consume_per_s: median(results.raw_consume),
  };
  console.log(
    `median: publish lib ${out.lib_publish_per_s} / raw ${out.raw_publish_per_s} msg/s = ${pct(out.lib_publish_per_s, out.raw_publish_per_s)} of raw; ` +
      `consume lib ${out.lib_consume_per_s} / raw ${out.raw_consume_per_s} msg/s = ${pct(out.lib_consume_per_s, out.raw_consume_per_s)} of raw (target >= 70%)`,
  );
  console.log(JSON.stringify(out));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

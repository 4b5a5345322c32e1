import { configureLogging, MetricsRegistry } from '@model-service/util';
import { IsInt, IsPositive, IsString, IsUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import * as winston from 'winston';

import { deleteQueues, publishRaw, queueDepth, takeAll, TEST_RABBITMQ_URL, uniqueName, waitFor } from '../testing';
import { Consumer } from './consumer';
import type { MessageContext } from './consumer.types';
import { Publisher } from './publisher';
import { RabbitConnection } from './rabbit-connection';

const url = TEST_RABBITMQ_URL;

class Order {
  @IsUUID()
  id!: string;
  @IsString()
  asset!: string;
  @IsPositive()
  amount!: number;
  @IsInt()
  seq!: number;
}

function order(seq: number): Order {
  return { id: randomUUID(), asset: 'BTCUSDT', amount: 10 + seq, seq };
}

describe('Consumer on the real RabbitMQ', () => {
  let connection: RabbitConnection;
  let publisher: Publisher;
  let consumer: Consumer;
  let metrics: MetricsRegistry;
  const queues: string[] = [];

  function queueName(): string {
    const q = uniqueName('test.consumer');
    queues.push(q, `${q}.dlq`);
    return q;
  }

  let logLines: Array<Record<string, unknown>>;

  beforeEach(async () => {
    logLines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    configureLogging({ service: 'messaging-spec', level: 'warn', format: 'json', transports: [new winston.transports.Stream({ stream: sink })] });
    metrics = new MetricsRegistry();
    connection = new RabbitConnection({ url, name: uniqueName('consumer-spec') });
    await connection.waitForConnect();
    publisher = new Publisher(connection);
    consumer = new Consumer(connection, { metrics });
  });

  afterEach(async () => {
    await consumer.stop();
    await publisher.close();
    await connection.close();
    await deleteQueues(url, queues.splice(0));
  });

  it('consumes 10,000 confirmed messages exactly once each', async () => {
    const queue = queueName();
    const seen = new Map<string, number>();
    await consumer.consume<Order>({ queue, schema: Order, prefetch: 200 }, (msg) => {
      expect(msg).toBeInstanceOf(Order);
      seen.set(msg.id, (seen.get(msg.id) ?? 0) + 1);
    });
    const sent = Array.from({ length: 10_000 }, (_, i) => order(i));
    await Promise.all(sent.map((o) => publisher.sendToQueue(queue, o)));

    await waitFor(() => seen.size === sent.length, 30_000, 'all messages consumed');
    await new Promise((r) => setTimeout(r, 300)); // would reveal late duplicates
    expect(sent.every((o) => seen.get(o.id) === 1)).toBe(true);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(await queueDepth(url, queue)).toBe(0);
    expect(await queueDepth(url, `${queue}.dlq`)).toBe(0);
    expect(await metrics.text()).toContain(`model_service_messages_consumed_total{queue="${queue}"} 10000`);
  });

  it('moves 100 poison messages to the DLQ with their original bodies and keeps handling valid ones', async () => {
    const queue = queueName();
    const handled: string[] = [];
    await consumer.consume<Order>({ queue, schema: Order, prefetch: 20 }, (msg) => {
      handled.push(msg.id);
    });
    const poison: string[] = [];
    const valid: Order[] = [];
    const bodies: string[] = [];
    for (let i = 0; i < 100; i++) {
      const variants = [
        `not json ${i} {`,
        JSON.stringify({ ...order(i), amount: -i - 1 }),
        JSON.stringify({ ...order(i), id: `not-a-uuid-${i}` }),
        JSON.stringify({ asset: 'ETHUSDT', seq: i }),
        `[${i}]`,
      ];
      const bad = i === 0 ? '' : variants[i % variants.length]!;
      poison.push(bad);
      const good = order(i);
      valid.push(good);
      bodies.push(bad, JSON.stringify(good));
    }
    await publishRaw(url, queue, bodies, { trace_id: 'trace-poison' });

    await waitFor(() => handled.length === 100, 20_000, 'valid messages handled');
    await waitFor(async () => (await queueDepth(url, `${queue}.dlq`)) === 100, 20_000, '100 messages in the DLQ');
    // The depth Grafana shows is read from the broker at each scrape.
    expect(await metrics.text()).toContain(`model_service_dead_letter_queue_messages{queue="${queue}.dlq"} 100`);
    const dead = await takeAll(url, `${queue}.dlq`);
    expect(await metrics.text()).toContain(`model_service_dead_letter_queue_messages{queue="${queue}.dlq"} 0`);
    expect(dead.map((m) => m.body.toString('utf8')).sort()).toEqual([...poison].sort());
    expect(handled.sort()).toEqual(valid.map((o) => o.id).sort());
    for (const m of dead) {
      expect(m.headers['x-original-queue']).toBe(queue);
      expect(m.headers['trace_id']).toBe('trace-poison');
      expect(Number.isNaN(Date.parse(String(m.headers['x-failed-at'])))).toBe(false);
      expect(m.persistent).toBe(true);
    }
    const reasonOf = (body: string): string => String(dead.find((m) => m.body.toString() === body)?.headers['x-death-reason']);
    expect(reasonOf('')).toBe('empty body');
    expect(reasonOf(poison[5]!)).toMatch(/not valid JSON/);
    expect(reasonOf(poison[1]!)).toMatch(/amount: /);
    expect(reasonOf(poison[2]!)).toMatch(/id: /);
    expect(reasonOf(poison[3]!)).toMatch(/id: .*amount: /);
    expect(reasonOf(poison[4]!)).toMatch(/JSON object/);
    expect(await metrics.text()).toContain(`model_service_messages_dead_lettered_total{queue="${queue}",reason="invalid"} 100`);
    const logged = logLines.filter((l) => l['msg'] === 'invalid message; moving it to the dead-letter queue');
    expect(logged).toHaveLength(100);
    expect(logged.map((l) => l['body']).sort()).toEqual([...poison].sort());
    expect(logged.every((l) => l['trace_id'] === 'trace-poison' && l['queue'] === queue)).toBe(true);
  });

  it('retries a failing handler the configured number of times, then dead-letters it, without blocking others', async () => {
    const queue = queueName();
    const attempts: MessageContext[] = [];
    const handled: number[] = [];
    await consumer.consume<Order>({ queue, schema: Order, maxRetries: 2, retryDelayMs: 50, prefetch: 5 }, (msg, ctx) => {
      if (msg.seq === 1000) {
        attempts.push(ctx);
        throw new Error('database unavailable');
      }
      handled.push(msg.seq);
    });
    await publisher.sendToQueue(queue, order(1000), { traceId: 'trace-fail' });
    for (let i = 0; i < 20; i++) await publisher.sendToQueue(queue, order(i));

    await waitFor(async () => (await queueDepth(url, `${queue}.dlq`)) === 1, 15_000, 'the failing message dead-lettered');
    expect(attempts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(attempts.every((c) => c.traceId === 'trace-fail')).toBe(true);
    expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const [dead] = await takeAll(url, `${queue}.dlq`);
    expect(JSON.parse(dead!.body.toString()).seq).toBe(1000);
    expect(dead!.headers['x-death-reason']).toBe('handler failed after 3 attempt(s): database unavailable');
    expect(dead!.headers['x-retry-count']).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(attempts).toHaveLength(3);
    const text = await metrics.text();
    expect(text).toContain(`model_service_messages_retried_total{queue="${queue}"} 2`);
    expect(text).toContain(`model_service_messages_dead_lettered_total{queue="${queue}",reason="handler_failed"} 1`);
  });

  it('takes the trace id from the body of a message read by a parser (a normalizer that drops the field)', async () => {
    const queue = queueName();
    const seen: string[] = [];
    await consumer.consume<{ asset: string }>(
      { queue, parse: (raw) => ({ asset: String((raw as { data?: { symbol?: unknown } }).data?.symbol) }) },
      (msg, ctx) => void seen.push(`${msg.asset}:${ctx.traceId}`),
    );
    await publishRaw(url, queue, [Buffer.from(JSON.stringify({ data: { symbol: 'BTCUSDT' }, trace_id: 'trace-from-body' }))]);
    await waitFor(async () => seen.length === 1, 10_000, 'the message handled');
    expect(seen).toEqual(['BTCUSDT:trace-from-body']);
  });
});

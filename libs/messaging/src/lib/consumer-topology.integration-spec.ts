import { randomUUID } from 'node:crypto';

import { brokerPerTest, deleteQueues, inspectQueue, publishRaw, queueDepth, takeAll, TEST_RABBITMQ_URL, uniqueName, waitFor, withRawConnection } from '../testing';
import { Consumer } from './consumer';
import { RabbitConnection } from './rabbit-connection';

const url = TEST_RABBITMQ_URL;

describe('Consumer topology and lifecycle on the real RabbitMQ', () => {
  const broker = brokerPerTest(url, 'topology-spec');
  const queueName = (): string => broker.deleteAfterTest(uniqueName('test.topology'));

  it('ordered: handles one message at a time in arrival order, retrying a failure in place', async () => {
    const queue = queueName();
    const seen: number[] = [];
    let running = 0;
    let maxRunning = 0;
    let failedOnce = false;
    await broker.newConsumer().consume<{ n: number }>({ queue, ordered: true, prefetch: 50, retryDelayMs: 20 }, async ({ n }) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      if (n === 10 && !failedOnce) {
        failedOnce = true;
        throw new Error('transient');
      }
      seen.push(n);
    });
    await publishRaw(url, queue, Array.from({ length: 40 }, (_, n) => JSON.stringify({ n })));
    await waitFor(() => seen.length === 40, 10_000, 'all ordered messages');
    expect(seen).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(maxRunning).toBe(1);
  });

  it('uses a queue a neighbour declared with other arguments (406) instead of crashing', async () => {
    const queue = queueName();
    await withRawConnection(url, async (conn) => {
      const ch = await conn.createChannel();
      await ch.assertQueue(queue, { durable: true, arguments: { 'x-max-length': 1000 } });
      await ch.close();
    });
    const got: string[] = [];
    await broker.newConsumer().consume<{ id: string }>({ queue, singleActiveConsumer: true }, ({ id }) => {
      got.push(id);
    });
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) await broker.publisher.sendToQueue(queue, { id });
    await waitFor(() => got.length === 2, 5_000, 'messages from the pre-declared queue');
    expect(got.sort()).toEqual([...ids].sort());
    expect(broker.connection.isConnected()).toBe(true);
  });

  it('fanout: every subscriber gets its own copy through a private queue', async () => {
    const exchange = broker.deleteExchangeAfterTest(uniqueName('test.fanout'));
    const prefix = queueName();
    const a: string[] = [];
    const b: string[] = [];
    await broker.newConsumer().consume<{ id: string }>({ queue: prefix, fanoutExchange: exchange }, ({ id }) => void a.push(id));
    await broker.newConsumer().consume<{ id: string }>({ queue: prefix, fanoutExchange: exchange }, ({ id }) => void b.push(id));
    const id = randomUUID();
    await broker.publisher.publishToExchange(exchange, { id });
    await waitFor(() => a.length === 1 && b.length === 1, 5_000, 'both subscribers');
    expect([a[0], b[0]]).toEqual([id, id]);
  });

  it('stop() waits for handlers in flight and acks their messages; unstarted ones stay in the queue', async () => {
    const queue = queueName();
    const consumer = broker.newConsumer();
    let started = 0;
    let finished = 0;
    await consumer.consume({ queue, prefetch: 3 }, async () => {
      started++;
      await new Promise((r) => setTimeout(r, 300));
      finished++;
    });
    await publishRaw(url, queue, Array.from({ length: 10 }, (_, n) => JSON.stringify({ n })));
    await waitFor(() => started === 3, 5_000, 'three handlers running');
    await consumer.stop();
    expect(finished).toBe(3);
    await waitFor(async () => (await queueDepth(url, queue)) === 7, 5_000, 'seven messages left');
    const left = await takeAll(url, queue);
    expect(left).toHaveLength(7);
  });

  it('subscribes again by itself when the broker cancels the consumer (queue deleted)', async () => {
    const queue = queueName();
    const got: number[] = [];
    await broker.newConsumer().consume<{ n: number }>({ queue }, ({ n }) => void got.push(n));
    await broker.publisher.sendToQueue(queue, { n: 1 });
    await waitFor(() => got.length === 1, 5_000, 'first message');
    await deleteQueues(url, [queue]);
    // The consumer re-declares the queue on a fresh channel; then new messages flow again.
    await waitFor(async () => (await withRawConnection(url, (c) => inspectQueue(c, queue)))?.consumerCount === 1, 10_000, 'the consumer back on the queue');
    await publishRaw(url, queue, [JSON.stringify({ n: 2 })]);
    await waitFor(() => got.length === 2, 5_000, 'message after the cancel');
    expect(got).toEqual([1, 2]);
  });

  it('a consumer on an unreachable broker does not throw and reports not connected', async () => {
    const down = new RabbitConnection({ url: 'amqp://guest:guest@127.0.0.1:1', name: uniqueName('down') });
    const consumer = new Consumer(down);
    await expect(consumer.consume({ queue: queueName() }, () => undefined)).resolves.toBeUndefined();
    expect(down.isConnected()).toBe(false);
    await expect(down.waitForConnect(300)).rejects.toThrow(/not connected/);
    await consumer.stop();
    await down.close();
  });
});

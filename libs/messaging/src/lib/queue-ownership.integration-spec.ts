import { QUEUES } from '@model-service/signals';
import { randomUUID } from 'node:crypto';

import { brokerPerTest, TEST_RABBITMQ_URL, uniqueName, waitFor, withRawConnection } from '../testing';
import { Publisher } from './publisher';

const url = TEST_RABBITMQ_URL;

/** What a neighbour does: declare its queue plain and durable, then publish. Throws on a 406. */
async function plainProducer(queue: string, bodies: object[]): Promise<void> {
  await withRawConnection(url, async (conn) => {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(queue, { durable: true });
    for (const b of bodies) ch.sendToQueue(queue, Buffer.from(JSON.stringify(b)), { persistent: true });
    await ch.waitForConfirms();
    await ch.close();
  });
}

async function consumerCount(queue: string): Promise<number> {
  return withRawConnection(url, async (conn) => {
    const ch = await conn.createChannel();
    const { consumerCount: n } = await ch.checkQueue(queue);
    await ch.close();
    return n;
  });
}

describe('queue ownership on the real RabbitMQ (docs/queues.md)', () => {
  const broker = brokerPerTest(url, 'ownership-spec');

  /** A neighbour's queue under a unique prefix: ownership follows the base name. */
  function sharedQueue(base: string = QUEUES.WS_TICKER): string {
    return broker.deleteAfterTest(`${uniqueName('it')}.${base}`);
  }

  it('a plain producer declares first: our single-active consumer still consumes (no 406)', async () => {
    const queue = sharedQueue();
    const ids = [randomUUID(), randomUUID()];
    await plainProducer(queue, [{ id: ids[0] }]);
    const got: string[] = [];
    await broker.newConsumer().consume<{ id: string }>({ queue, singleActiveConsumer: true, ordered: true }, ({ id }) => void got.push(id));
    await plainProducer(queue, [{ id: ids[1] }]);
    await waitFor(() => got.length === 2, 5_000, 'both messages');
    expect(got).toEqual(ids);
    expect(broker.connection.isConnected()).toBe(true);
  });

  it('our app declares first: a plain producer still declares and publishes (no 406)', async () => {
    const queue = sharedQueue(QUEUES.POSITION_UPDATED);
    const got: string[] = [];
    await broker.newConsumer().consume<{ id: string }>({ queue, singleActiveConsumer: true, ordered: true }, ({ id }) => void got.push(id));
    const id = randomUUID();
    await expect(plainProducer(queue, [{ id }])).resolves.toBeUndefined();
    await waitFor(() => got.length === 1, 5_000, 'the message');
    expect(got).toEqual([id]);
  });

  it("single active consumer on a neighbour's queue: one consumer at a time, the standby takes over", async () => {
    const queue = sharedQueue(QUEUES.WS_KLINE);
    const a: string[] = [];
    const b: string[] = [];
    const first = broker.newConsumer();
    await first.consume<{ id: string }>({ queue, singleActiveConsumer: true, ordered: true }, ({ id }) => void a.push(id));
    await broker.newConsumer().consume<{ id: string }>({ queue, singleActiveConsumer: true, ordered: true }, ({ id }) => void b.push(id));
    await plainProducer(queue, Array.from({ length: 5 }, () => ({ id: randomUUID() })));
    await waitFor(() => a.length === 5, 5_000, 'the active consumer');
    expect(b).toEqual([]);
    expect(await consumerCount(queue)).toBe(1);

    await first.stop();
    await waitFor(async () => (await consumerCount(queue)) === 1, 15_000, 'the standby consuming');
    const later = randomUUID();
    await plainProducer(queue, [{ id: later }]);
    await waitFor(() => b.length === 1, 5_000, 'the standby');
    expect(b).toEqual([later]);
  }, 30_000);

  it('a queue of ours carries a broker dead-letter exchange; our publisher and consumer declare it identically', async () => {
    const queue = broker.deleteAfterTest(uniqueName('test.ownership.ours'));
    const publisher = new Publisher(broker.connection);
    await publisher.assertQueue(queue);
    const got: number[] = [];
    await broker.newConsumer().consume<{ n: number }>({ queue }, ({ n }) => void got.push(n));
    await publisher.sendToQueue(queue, { n: 1 });
    await waitFor(() => got.length === 1, 5_000, 'the message');
    await publisher.close();
    // An equivalent re-declaration succeeds only if the queue has exactly these arguments (else 406).
    await withRawConnection(url, async (conn) => {
      const ch = await conn.createChannel();
      await ch.assertQueue(queue, { durable: true, arguments: { 'x-dead-letter-exchange': `${queue}.dlx` } });
      await ch.checkExchange(`${queue}.dlx`);
      await ch.close();
    });
  });
});

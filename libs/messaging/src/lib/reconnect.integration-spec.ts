import { randomUUID } from 'node:crypto';

import { deleteQueues, forceCloseConnection, TEST_RABBITMQ_URL, uniqueName, waitFor } from '../testing';
import { Consumer } from './consumer';
import { Publisher } from './publisher';
import { RabbitConnection } from './rabbit-connection';

const url = TEST_RABBITMQ_URL;

describe('connection force-closed by the broker mid-stream', () => {
  const queue = uniqueName('test.reconnect');
  const name = uniqueName('reconnect-spec');
  let connection: RabbitConnection;
  let publisher: Publisher;
  let consumer: Consumer;

  beforeAll(async () => {
    connection = new RabbitConnection({ url, name, reconnectTimeInSeconds: 1 });
    await connection.waitForConnect();
    publisher = new Publisher(connection, { maxRetries: 10 });
    consumer = new Consumer(connection);
  });

  afterAll(async () => {
    await consumer.stop();
    await publisher.close();
    await connection.close();
    await deleteQueues(url, [queue, `${queue}.dlq`]);
  });

  it('loses no confirmed message and the consumer resumes by itself', async () => {
    const received = new Map<string, number>();
    await consumer.consume<{ id: string; n: number }>({ queue, prefetch: 100 }, ({ id }) => {
      received.set(id, (received.get(id) ?? 0) + 1);
    });

    const confirmed: string[] = [];
    const failed: unknown[] = [];
    let reconnects = 0;
    let droppedAt = 0;
    let backAt = 0;
    connection.manager.on('disconnect', () => (droppedAt = Date.now()));
    connection.manager.on('connect', () => {
      reconnects++;
      backAt = Date.now();
    });
    let spanningOutage = 0;
    const total = 8_000;
    let sent = 0;
    let confirmedAtClose = -1;

    // 50 paced publishers (~2000 msg/s) keep sends in flight for about four seconds.
    const publishing = Promise.all(
      Array.from({ length: 50 }, async () => {
        for (;;) {
          await new Promise((r) => setTimeout(r, 25));
          if (sent >= total) return;
          const n = sent++;
          const id = randomUUID();
          const startedAt = Date.now();
          try {
            await publisher.sendToQueue(queue, { id, n });
            confirmed.push(id);
            if (droppedAt > 0 && startedAt <= droppedAt + 50 && backAt > 0) spanningOutage++;
          } catch (err) {
            failed.push(err);
          }
        }
      }),
    );
    // Close our own connection from the broker side while messages are streaming.
    await waitFor(() => confirmed.length >= 2_000, 20_000, '2000 confirmed before the forced close');
    const closing = forceCloseConnection(name, 'integration test: forced close');
    await waitFor(() => !connection.isConnected(), 10_000, 'the connection to drop');
    confirmedAtClose = confirmed.length;
    expect(await closing).toBe(1);
    await publishing;

    expect(confirmedAtClose).toBeLessThan(total);
    // Sends made while the connection was down were held and confirmed after the reconnect.
    expect(spanningOutage).toBeGreaterThan(0);
    expect(reconnects).toBeGreaterThanOrEqual(1);
    expect(failed).toEqual([]);
    expect(confirmed).toHaveLength(total);
    await waitFor(() => confirmed.every((id) => received.has(id)), 30_000, 'every confirmed message consumed');
    expect(connection.isConnected()).toBe(true);
    const duplicates = [...received.values()].filter((c) => c > 1).length;
    // At-least-once: messages unacked when the connection dropped come again; a handful, not thousands.
    expect(duplicates).toBeLessThan(1_000);
  });
});

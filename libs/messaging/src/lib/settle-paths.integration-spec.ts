import { QUEUES } from '@model-service/signals';
import { HealthRegistry } from '@model-service/util';
import { randomUUID } from 'node:crypto';

import { deleteQueues, publishRaw, takeAll, TEST_RABBITMQ_URL, uniqueName, waitFor, withRawConnection } from '../testing';
import { Consumer } from './consumer';
import { RabbitConnection } from './rabbit-connection';

const url = TEST_RABBITMQ_URL;

/** The poison of the incident: valid JSON, otherwise invalid, with a 70,000-character trace_id. */
const POISON = JSON.stringify({ trace_id: 'x'.repeat(70_000), amount: 'lots' });

async function queueCounts(queue: string): Promise<{ ready: number; consumers: number }> {
  return withRawConnection(url, async (conn) => {
    const ch = await conn.createChannel();
    const q = await ch.checkQueue(queue);
    await ch.close();
    return { ready: q.messageCount, consumers: q.consumerCount };
  });
}

/** A DLQ the broker refuses publishes to, so every dead-letter republish of ours is nacked. */
async function refusingDeadLetterQueue(queue: string): Promise<void> {
  await withRawConnection(url, async (conn) => {
    const ch = await conn.createChannel();
    await ch.assertQueue(`${queue}.dlq`, { durable: true, arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' } });
    await ch.close();
  });
}

async function plainDeadLetterQueue(queue: string): Promise<void> {
  await withRawConnection(url, async (conn) => {
    const ch = await conn.createChannel();
    await ch.deleteQueue(`${queue}.dlq`);
    await ch.assertQueue(`${queue}.dlq`, { durable: true });
    await ch.close();
  });
}

describe('settle paths on the real RabbitMQ', () => {
  let connection: RabbitConnection;
  let health: HealthRegistry;
  const consumers: Consumer[] = [];
  const queues: string[] = [];

  function track(q: string): string {
    queues.push(q, `${q}.dlq`);
    return q;
  }

  beforeEach(async () => {
    connection = new RabbitConnection({ url, name: uniqueName('settle-spec') });
    await connection.waitForConnect();
    health = new HealthRegistry();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await connection.close();
    await deleteQueues(url, queues.splice(0));
  });

  async function consume(queue: string, got: number[], ordered = true): Promise<void> {
    const consumer = new Consumer(connection, { health });
    consumers.push(consumer);
    await consumer.consume<{ n: number }>(
      {
        queue,
        ordered,
        parse: (raw) => {
          const body = raw as { n?: unknown };
          if (typeof body.n !== 'number') throw new Error('n must be a number');
          return { n: body.n };
        },
      },
      ({ n }) => void got.push(n),
    );
  }

  it('the 70,000-char trace_id poison lands in the DLQ once, with small headers and a fresh trace id; valid traffic continues', async () => {
    const queue = track(uniqueName('test.settle.poison'));
    const got: number[] = [];
    await consume(queue, got);
    const t0 = Date.now();
    await publishRaw(url, queue, [JSON.stringify({ n: 1 }), POISON, JSON.stringify({ n: 2 })]);
    await waitFor(() => got.length === 2, 5_000, 'valid messages');
    await waitFor(async () => (await queueCounts(`${queue}.dlq`)).ready === 1, 5_000, 'the poison in the DLQ');
    const latency = Date.now() - t0;
    const dead = await takeAll(url, `${queue}.dlq`);
    expect(dead).toHaveLength(1);
    expect(dead[0].body.toString()).toBe(POISON);
    expect(String(dead[0].headers['trace_id'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(dead[0].headers).length).toBeLessThan(1_500);
    expect(got).toEqual([1, 2]);
    expect((await health.report()).status).toBe('ok');
    expect(latency).toBeLessThan(5_000);
  });

  it('a body over the size limit is dead-lettered unparsed', async () => {
    const queue = track(uniqueName('test.settle.big'));
    const got: number[] = [];
    await consume(queue, got);
    const big = JSON.stringify({ n: 1, pad: 'p'.repeat(2 * 1024 * 1024) });
    await publishRaw(url, queue, [big, JSON.stringify({ n: 2 })]);
    await waitFor(async () => (await queueCounts(`${queue}.dlq`)).ready === 1, 5_000, 'the big body in the DLQ');
    await waitFor(() => got.length === 1, 5_000, 'the valid message');
    const [dead] = await takeAll(url, `${queue}.dlq`);
    expect(dead.body.length).toBe(big.length);
    expect(String(dead.headers['x-death-reason'])).toMatch(/^body is \d+ bytes, more than the 1048576 allowed$/);
    expect(got).toEqual([2]);
  });

  it('our queue: when the dead-letter republish keeps failing, the message is rejected into the broker dead-letter exchange, not requeued', async () => {
    const queue = track(uniqueName('test.settle.dlx'));
    await refusingDeadLetterQueue(queue);
    const got: number[] = [];
    await consume(queue, got);
    // A second queue on the dead-letter exchange sees what the broker dead-letters (the refusing DLQ drops it).
    const probe = track(`${queue}.probe`);
    await withRawConnection(url, async (conn) => {
      const ch = await conn.createChannel();
      await ch.assertQueue(probe, { durable: false });
      await ch.bindQueue(probe, `${queue}.dlx`, '');
      await ch.close();
    });
    await publishRaw(url, queue, [POISON, JSON.stringify({ n: 7 })]);
    await waitFor(async () => (await queueCounts(probe)).ready === 1, 10_000, 'the poison dead-lettered by the broker');
    await waitFor(() => got.length === 1, 5_000, 'the valid message after it');
    const [dead] = await takeAll(url, probe);
    expect(dead.body.toString()).toBe(POISON);
    expect(dead.headers['x-death']).toEqual([expect.objectContaining({ queue, reason: 'rejected' })]);
    expect((await queueCounts(queue)).ready).toBe(0);
    expect((await health.report()).status).toBe('ok');
  }, 20_000);

  it("a neighbour's queue (no dead-letter exchange of ours): the message is held, /health names the queue, and it settles once publishing works", async () => {
    const queue = track(`${uniqueName('it')}.${QUEUES.WS_TICKER}`);
    await refusingDeadLetterQueue(queue);
    const got: number[] = [];
    await consume(queue, got, false);
    await publishRaw(url, queue, [POISON, JSON.stringify({ n: 1 }), JSON.stringify({ n: 2 })]);
    await waitFor(() => got.length === 2, 5_000, 'valid messages flow past the held one');
    await waitFor(async () => (await health.report()).status === 'degraded', 10_000, '/health degraded');
    const report = await health.report();
    expect(report.checks[`consumer:${queue}`]).toMatchObject({ status: 'down', queue });
    // Held, not requeued in a loop: nothing is ready in the queue, one delivery stays unacked.
    expect((await queueCounts(queue)).ready).toBe(0);

    await plainDeadLetterQueue(queue);
    await waitFor(async () => (await queueCounts(`${queue}.dlq`)).ready === 1, 20_000, 'the held message dead-lettered');
    await waitFor(async () => (await health.report()).status === 'ok', 5_000, '/health ok again');
    const [dead] = await takeAll(url, `${queue}.dlq`);
    expect(dead.body.toString()).toBe(POISON);
  }, 40_000);

  it('a transient handler failure pauses the consumer: nothing is dead-lettered or lost, /health is degraded while paused, ok after', async () => {
    const queue = track(uniqueName('test.settle.transient'));
    let down = true;
    const got: string[] = [];
    const consumer = new Consumer(connection, { health, defaultMaxRetries: 0 });
    consumers.push(consumer);
    await consumer.consume<{ id: string }>({ queue, prefetch: 5 }, async ({ id }) => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      got.push(id);
    });
    const ids = Array.from({ length: 20 }, () => randomUUID());
    await publishRaw(url, queue, ids.map((id) => JSON.stringify({ id })));
    await waitFor(async () => (await health.report()).status === 'degraded', 5_000, '/health degraded while paused');
    expect((await health.report()).checks[`consumer:${queue}`]?.['error']).toContain('paused');
    down = false;
    await waitFor(() => got.length === ids.length, 15_000, 'every message handled after the outage');
    expect([...got].sort()).toEqual([...ids].sort());
    expect((await queueCounts(`${queue}.dlq`)).ready).toBe(0);
    await waitFor(async () => (await health.report()).status === 'ok', 5_000, '/health ok again');
  }, 30_000);
});

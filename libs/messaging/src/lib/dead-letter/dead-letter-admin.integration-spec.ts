import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { configureLogging } from '@model-service/util';

import { deleteQueues, publishRaw, queueDepth, takeAll, TEST_RABBITMQ_URL, uniqueName, waitFor, withRawConnection } from '../../testing';
import { Consumer } from '../consumer';
import { RabbitConnection } from '../rabbit-connection';
import { DeadLetterAdmin } from './dead-letter-admin';

const url = TEST_RABBITMQ_URL;
const run = promisify(execFile);

/**
 * Both ways a message reaches `<queue>.dlq`: our consumer's republish (an invalid body, with our headers) and
 * the broker's dead-lettering (a nack without requeue on a queue with a dead-letter exchange: x-death headers).
 */
describe('DeadLetterAdmin and npm run dlq on the real RabbitMQ', () => {
  const ours = uniqueName('test.dlq.ours');
  const broker = uniqueName('test.dlq.broker');
  const queues = [ours, `${ours}.dlq`, broker, `${broker}.dlq`];
  let connection: RabbitConnection;
  let consumer: Consumer;
  let admin: DeadLetterAdmin;

  beforeAll(async () => {
    configureLogging({ service: 'dlq-spec', level: 'error', format: 'json' });
    connection = new RabbitConnection({ url, name: uniqueName('dlq-spec') });
    await connection.waitForConnect();
    consumer = new Consumer(connection);
    await consumer.consume({ queue: ours }, () => undefined);
    // Our republish path: a body that is not JSON is copied to <ours>.dlq with our headers and acked.
    await publishRaw(url, ours, ['{"trace_id": "not json'], { 'x-custom': 'kept-ours', trace_id: 'trace-ours-1' });
    await waitFor(async () => (await queueDepth(url, `${ours}.dlq`)) === 1, 10_000, 'our dead-letter');
    await consumer.stop();

    // The broker's path: the queue dead-letters into <broker>.dlq through the default exchange.
    await withRawConnection(url, async (conn) => {
      const ch = await conn.createChannel();
      await ch.assertQueue(`${broker}.dlq`, { durable: true });
      await ch.assertQueue(broker, { durable: true, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': `${broker}.dlq` } });
      ch.sendToQueue(broker, Buffer.from(JSON.stringify({ n: 1, trace_id: 'trace-broker-1' })), {
        persistent: true,
        messageId: 'm-1',
        headers: { 'x-custom': 'kept-broker', 'x-retry-count': 2 },
      });
      ch.sendToQueue(broker, Buffer.from(JSON.stringify({ n: 2 })), { persistent: true, headers: { 'x-custom': 'kept-broker' } });
      for (let i = 0; i < 2; i++) {
        let msg: false | import('amqplib').GetMessage = false;
        await waitFor(async () => (msg = await ch.get(broker, { noAck: false })) !== false, 5_000, 'message to reject');
        ch.nack(msg as unknown as import('amqplib').GetMessage, false, false);
      }
      await ch.close();
    });
    await waitFor(async () => (await queueDepth(url, `${broker}.dlq`)) === 2, 10_000, 'broker dead-letters');
    admin = await DeadLetterAdmin.connect(url);
  }, 60_000);

  afterAll(async () => {
    await admin?.close();
    await connection?.close();
    await deleteQueues(url, queues);
  });

  it('list: the depth of each named DLQ (given by consumed queue or DLQ name); a missing one is marked', async () => {
    const missing = uniqueName('test.dlq.missing');
    expect(await admin.list([ours, `${broker}.dlq`, missing])).toEqual([
      { queue: `${ours}.dlq`, exists: true, messages: 1 },
      { queue: `${broker}.dlq`, exists: true, messages: 2 },
      { queue: `${missing}.dlq`, exists: false, messages: 0 },
    ]);
  });

  it('show: body, reason, failed_at, trace id of both kinds, and leaves every message where it was', async () => {
    const [mine] = await admin.show(ours);
    expect(mine).toMatchObject({
      via: 'republish',
      originalQueue: ours,
      traceId: 'trace-ours-1',
      body: '{"trace_id": "not json',
      bodyBytes: 22,
    });
    expect(mine?.reason).toMatch(/JSON/i);
    expect(Date.now() - Date.parse(mine?.failedAt ?? '')).toBeLessThan(120_000);

    const theirs = await admin.show(broker, 1);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ via: 'broker', originalQueue: broker, traceId: 'trace-broker-1', reason: 'dead-lettered by the broker (rejected)', deathCount: 1 });
    expect(Date.now() - Date.parse(theirs[0]?.failedAt ?? '')).toBeLessThan(120_000);
    expect(await queueDepth(url, `${ours}.dlq`)).toBe(1);
    expect(await queueDepth(url, `${broker}.dlq`)).toBe(2);
  });

  it('redrive --limit 1, then the rest: back to the original queue, original headers kept, retry count and death records gone', async () => {
    expect(await admin.redrive(broker, 1)).toEqual({ redriven: { [broker]: 1 }, skipped: {} });
    expect(await queueDepth(url, `${broker}.dlq`)).toBe(1);
    expect(await admin.redrive(`${broker}.dlq`)).toEqual({ redriven: { [broker]: 1 }, skipped: {} });
    expect(await queueDepth(url, `${broker}.dlq`)).toBe(0);
    const back = await takeAll(url, broker);
    expect(back.map((m) => JSON.parse(m.body.toString()).n)).toEqual([1, 2]);
    for (const m of back) {
      expect(m.headers['x-custom']).toBe('kept-broker');
      expect(m.persistent).toBe(true);
      expect(Object.keys(m.headers).filter((k) => k.startsWith('x-death') || k.startsWith('x-first-death') || k === 'x-retry-count')).toEqual([]);
    }

    expect(await admin.redrive(ours)).toEqual({ redriven: { [ours]: 1 }, skipped: {} });
    const [again] = await takeAll(url, ours);
    expect(again?.body.toString()).toBe('{"trace_id": "not json');
    expect(again?.headers).toEqual({ 'x-custom': 'kept-ours', trace_id: 'trace-ours-1' });
  });

  it('redrive leaves a message whose original queue is unknown or gone in the DLQ', async () => {
    const gone = uniqueName('test.dlq.gone');
    await publishRaw(url, `${ours}.dlq`, ['no headers at all']);
    await publishRaw(url, `${ours}.dlq`, ['from a deleted queue'], { 'x-original-queue': gone, 'x-death-reason': 'invalid' });
    expect(await admin.redrive(ours)).toEqual({
      redriven: {},
      skipped: { 'original queue unknown': 1, [`original queue ${gone} does not exist`]: 1 },
    });
    expect(await queueDepth(url, `${ours}.dlq`)).toBe(2);
    await takeAll(url, `${ours}.dlq`);
  });

  it('the npm run dlq CLI: list, show --json and redrive against the broker', async () => {
    await publishRaw(url, `${ours}.dlq`, ['{"x":1}'], { 'x-original-queue': ours, 'x-death-reason': 'invalid: test', trace_id: 'cli-1' });
    const cli = async (...args: string[]): Promise<string> =>
      (await run('npm', ['run', '-s', 'dlq', '--', ...args], { env: { ...process.env, RABBITMQ_URL: url }, timeout: 60_000 })).stdout;
    expect(JSON.parse(await cli('list', '--queue', ours, '--json'))).toEqual([{ queue: `${ours}.dlq`, exists: true, messages: 1 }]);
    expect(JSON.parse(await cli('show', ours, '--limit', '5', '--json'))).toEqual([
      expect.objectContaining({ originalQueue: ours, reason: 'invalid: test', traceId: 'cli-1', body: '{"x":1}', via: 'republish' }),
    ]);
    expect(JSON.parse(await cli('redrive', ours, '--limit', '5'))).toEqual({ redriven: { [ours]: 1 }, skipped: {} });
    expect((await takeAll(url, ours)).map((m) => m.body.toString())).toEqual(['{"x":1}']);
    await expect(cli('show', ours, '--limit', '0')).rejects.toThrow(/--limit must be a positive integer/);
  }, 120_000);
});

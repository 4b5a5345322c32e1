import { deleteExchanges, deleteQueues, publishRaw, takeAll, TEST_RABBITMQ_URL, withRawConnection } from '@model-service/messaging/testing';
import { AppProcess, freePort, INCIDENT_POISON, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { topology } from '@model-service/signals';
import { randomBytes } from 'node:crypto';

const RABBITMQ_URL = TEST_RABBITMQ_URL;

interface Health {
  status: string;
  checks: Record<string, { status: string; queue?: string; error?: string }>;
}

/**
 * /health tells the truth about the consumer: when the dead-letter queue refuses the copy of a poison message
 * (the position manager's queue has no dead-letter exchange of ours), exit-strategy holds the message, answers
 * 503 naming the queue, and is back to 200 by itself once the copy goes through.
 */
describe('exit-strategy /health when a message cannot be settled', () => {
  let db: TestDataSource;
  let proc: AppProcess | undefined;
  const prefix = `exithealth.${randomBytes(4).toString('hex')}.`;
  const names = topology(prefix);
  const queue = names.positionUpdated;
  const dlq = `${queue}.dlq`;

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'exit_health' });
  });

  afterAll(async () => {
    await proc?.stop();
    await deleteQueues(RABBITMQ_URL, [queue, dlq, names.tradingSignals, `${names.tradingSignals}.dlq`]);
    await deleteExchanges(RABBITMQ_URL, [names.positionEventsExchange]);
    await db?.drop();
  });

  it('503 naming the queue while the message is held, 200 again by itself; the message is dead-lettered once', async () => {
    // A DLQ that refuses every publish (what a full disk or a broken policy looks like from here).
    await withRawConnection(RABBITMQ_URL, async (conn) => {
      const ch = await conn.createChannel();
      await ch.assertQueue(dlq, { durable: true, arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' } });
      await ch.close();
    });
    const port = await freePort();
    proc = spawnApp('exit-strategy', {
      MODEL_SERVICE_PORT: String(port),
      MODEL_SERVICE_SERVICE_NAME: `exit-health${port}`,
      MODEL_SERVICE_LOG_LEVEL: 'error',
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      RABBITMQ_URL,
      QUEUE_PREFIX: prefix,
    });
    const health = `http://127.0.0.1:${port}/health`;
    const up = await waitForHttp(health, (s) => s === 200, 60_000);
    expect({ status: up.status, output: up.status === 200 ? '' : proc.output() }).toEqual({ status: 200, output: '' });

    await publishRaw(RABBITMQ_URL, queue, [INCIDENT_POISON]);
    const down = await waitForHttp(health, (s) => s === 503, 15_000);
    expect(down.status).toBe(503);
    const check = (down.body as Health).checks[`consumer:${queue}`];
    expect(check).toMatchObject({ status: 'down', queue });
    expect(check?.error).toContain('cannot be settled');

    await withRawConnection(RABBITMQ_URL, async (conn) => {
      const ch = await conn.createChannel();
      await ch.deleteQueue(dlq);
      await ch.assertQueue(dlq, { durable: true });
      await ch.close();
    });
    const back = await waitForHttp(health, (s) => s === 200, 40_000);
    expect(back.status).toBe(200);
    const dead = await takeAll(RABBITMQ_URL, dlq);
    expect(dead.map((m) => m.body.toString())).toEqual([INCIDENT_POISON]);
  }, 90_000);
});

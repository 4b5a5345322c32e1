import { HealthRegistry, MetricsRegistry, ObservabilityModule, runWithTrace } from '@model-service/util';
import { Test } from '@nestjs/testing';

import { deleteQueues, takeAll, TEST_RABBITMQ_URL, uniqueName } from '../testing';
import { MessagingModule } from './messaging.module';
import { Publisher, PublishError } from './publisher';
import { RabbitConnection } from './rabbit-connection';

const url = TEST_RABBITMQ_URL;

describe('Publisher on the real RabbitMQ', () => {
  let connection: RabbitConnection;
  const queues: string[] = [];

  beforeEach(async () => {
    connection = new RabbitConnection({ url, name: uniqueName('publisher-spec') });
    await connection.waitForConnect();
  });

  afterEach(async () => {
    await connection.close();
    await deleteQueues(url, queues.splice(0));
  });

  it('publishes plain persistent JSON with the trace id header, resolving after the confirm', async () => {
    const queue = uniqueName('test.publisher');
    queues.push(queue);
    const publisher = new Publisher(connection);
    const payload = { signal_id: 'abc', amount: 12.5, nested: { ok: true } };
    await publisher.sendToQueue(queue, payload, { traceId: 'trace-explicit', headers: { source: 'spec' }, messageId: 'm-1' });
    await runWithTrace('trace-from-context', () => publisher.sendToQueue(queue, { n: 2 }));
    await publisher.sendToQueue(queue, { n: 3, trace_id: 'trace-in-body' });
    await publisher.close();

    const stored = await takeAll(url, queue);
    expect(stored).toHaveLength(3);
    expect(stored[0]!.body.toString()).toBe(JSON.stringify(payload));
    expect(stored[0]!.contentType).toBe('application/json');
    expect(stored[0]!.persistent).toBe(true);
    expect(stored[0]!.headers).toEqual({ source: 'spec', trace_id: 'trace-explicit' });
    expect(stored[1]!.headers['trace_id']).toBe('trace-from-context');
    expect(stored[2]!.headers['trace_id']).toBe('trace-in-body');
  });

  it('retries with backoff, then throws PublishError and counts it; the publisher keeps working', async () => {
    const metrics = new MetricsRegistry();
    const publisher = new Publisher(connection, { maxRetries: 2, retryBaseMs: 10, metrics });
    const missing = uniqueName('test.no-such-exchange');
    const err = await publisher.publishToExchange(missing, { n: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect((err as PublishError).attempts).toBe(3);
    expect((err as PublishError).destination).toBe(missing);
    expect(await metrics.text()).toContain(`model_service_publish_failures_total{destination="${missing}"} 1`);

    // The broker closed the channel (404); a fresh one takes over.
    const queue = uniqueName('test.publisher');
    queues.push(queue);
    await publisher.sendToQueue(queue, { after: 'failure' });
    expect((await takeAll(url, queue)).map((m) => m.body.toString())).toEqual(['{"after":"failure"}']);
    await publisher.close();
  });

  it('a closed publisher refuses to publish', async () => {
    const publisher = new Publisher(connection);
    await publisher.close();
    await expect(publisher.sendToQueue('anything', {})).rejects.toBeInstanceOf(PublishError);
  });
});

describe('MessagingModule', () => {
  async function healthOf(brokerUrl: string): Promise<{ status: string; checks: Record<string, { status: string }> }> {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ service: 'spec', controller: false }), MessagingModule.forRoot({ url: brokerUrl, name: uniqueName('module-spec') })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const connection = app.get(RabbitConnection);
    await connection.waitForConnect(2_000).catch(() => undefined);
    expect(app.get(Publisher)).toBeInstanceOf(Publisher);
    const report = await app.get(HealthRegistry).report();
    await app.close();
    expect(connection.isConnected()).toBe(false);
    return report;
  }

  it('registers message_queue as up when the broker is reachable', async () => {
    const report = await healthOf(url);
    expect(report.status).toBe('ok');
    expect(report.checks['message_queue']!.status).toBe('up');
  });

  it('reports message_queue down when the broker is unreachable', async () => {
    const report = await healthOf('amqp://guest:guest@127.0.0.1:1');
    expect(report.status).toBe('degraded');
    expect(report.checks['message_queue']!.status).toBe('down');
  });
});

import { currentTraceId, HealthRegistry, ObservabilityModule } from '@model-service/util';
import { INestApplicationContext, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsNumber, IsString } from 'class-validator';

import { deleteQueues, publishRaw, queueDepth, takeAll, TEST_RABBITMQ_URL, uniqueName, waitFor } from '../testing';
import { ConsumerHost } from './consumer-host';
import type { MessageContext } from './consumer.types';
import { MessagingModule } from './messaging.module';
import { Publisher } from './publisher';
import { RabbitConnection } from './rabbit-connection';

const url = TEST_RABBITMQ_URL;
const TICKS = uniqueName('test.host.ticks');
const FAILING = uniqueName('test.host.failing');
const CONNECTION = uniqueName('host-spec-consumer');

class Tick {
  @IsString()
  symbol!: string;
  @IsNumber()
  price!: number;
}

interface Received {
  tick: Tick;
  queue: string;
  traceFromCtx: string;
  traceInHandler?: string;
}
const received: Received[] = [];
let failingCalls = 0;

/** What an app keeps: its handlers, handed to the host as specs when it starts. */
@Injectable()
class TickHandlers implements OnApplicationBootstrap {
  constructor(private readonly host: ConsumerHost) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.host.consume<Tick>({ queue: TICKS, schema: Tick, prefetch: 10, handler: (tick, ctx) => this.onTick(tick, ctx) });
    await this.host.consume({ queue: FAILING, maxRetries: 1, retryDelayMs: 10, handler: () => this.onFailing() });
  }

  private onTick(tick: Tick, ctx: MessageContext): void {
    received.push({ tick, queue: ctx.queue, traceFromCtx: ctx.traceId, traceInHandler: currentTraceId() });
  }

  private async onFailing(): Promise<void> {
    failingCalls++;
    throw new Error('cannot handle this');
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'host-spec', controller: false }),
    MessagingModule.forRoot({ url, name: uniqueName('host-spec-publisher'), consumer: { name: CONNECTION, prefetch: 20, maxRetries: 3 } }),
  ],
  providers: [TickHandlers],
})
class TicksModule {}

describe('ConsumerHost in a Nest app (MessagingModule.forRoot({ consumer }))', () => {
  let app: INestApplicationContext;
  let host: ConsumerHost;
  let connection: RabbitConnection;
  let publisher: Publisher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TicksModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    host = app.get(ConsumerHost);
    connection = new RabbitConnection({ url, name: uniqueName('host-spec-publisher') });
    publisher = new Publisher(connection);
  });

  afterAll(async () => {
    await app.close();
    await publisher.close();
    await connection.close();
    await deleteQueues(url, [TICKS, `${TICKS}.dlq`, FAILING, `${FAILING}.dlq`]);
  });

  it('delivers plain JSON to a handler spec, validated, inside its trace; /health has the connection and each queue', async () => {
    expect(host.isConnected()).toBe(true);
    await publisher.sendToQueue(TICKS, { symbol: 'BTCUSDT', price: 65000.5, trace_id: 'trace-host-1' });
    await publishRaw(url, TICKS, [JSON.stringify({ symbol: 'ETHUSDT', price: 3100 })], { trace_id: 'trace-host-2' });
    await waitFor(() => received.length === 2, 10_000, 'both ticks');
    const btc = received.find((r) => r.tick.symbol === 'BTCUSDT');
    const eth = received.find((r) => r.tick.symbol === 'ETHUSDT');
    expect(btc!.tick).toBeInstanceOf(Tick);
    expect(btc!.tick).toMatchObject({ symbol: 'BTCUSDT', price: 65000.5 });
    expect(btc!.traceInHandler).toBe('trace-host-1');
    expect(eth!.tick).toMatchObject({ symbol: 'ETHUSDT', price: 3100 });
    expect(eth!.traceFromCtx).toBe('trace-host-2');
    expect(eth!.traceInHandler).toBe('trace-host-2');
    expect(eth!.queue).toBe(TICKS);
    const report = await app.get(HealthRegistry).report();
    expect(Object.keys(report.checks)).toEqual(expect.arrayContaining(['message_queue', 'message_queue_consumer', `consumer:${TICKS}`, `consumer:${FAILING}`]));
  });

  it('dead-letters an invalid body instead of calling the handler', async () => {
    const before = received.length;
    await publishRaw(url, TICKS, ['{"pattern":"x","data":{}}']);
    await waitFor(async () => (await queueDepth(url, `${TICKS}.dlq`)) === 1, 10_000, 'the invalid message in the DLQ');
    const [dead] = await takeAll(url, `${TICKS}.dlq`);
    expect(dead!.body.toString()).toBe('{"pattern":"x","data":{}}');
    expect(String(dead!.headers['x-death-reason'])).toMatch(/symbol: .*price: /);
    expect(received.length).toBe(before);
  });

  it('retries a throwing handler as its spec says, then dead-letters it', async () => {
    await publisher.sendToQueue(FAILING, { id: 1 });
    await waitFor(async () => (await queueDepth(url, `${FAILING}.dlq`)) === 1, 10_000, 'the failing message in the DLQ');
    expect(failingCalls).toBe(2);
    const [dead] = await takeAll(url, `${FAILING}.dlq`);
    expect(JSON.parse(dead!.body.toString())).toEqual({ id: 1 });
    expect(String(dead!.headers['x-death-reason'])).toMatch(/^handler failed after 2 attempt\(s\)/);
  });

  it('stops consuming and closes its connection before the app has shut down, once however often it is asked', async () => {
    await Promise.all([host.stop(), host.stop()]);
    expect(host.isConnected()).toBe(false);
    await expect(host.consume({ queue: TICKS, handler: () => undefined })).rejects.toThrow('stopped');
    await publisher.sendToQueue(TICKS, { symbol: 'SOLUSDT', price: 150 });
    await waitFor(async () => (await queueDepth(url, TICKS)) === 1, 10_000, 'the tick left in the queue');
    expect(received.some((r) => r.tick.symbol === 'SOLUSDT')).toBe(false);
  });
});

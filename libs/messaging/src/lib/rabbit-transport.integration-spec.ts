import { currentTraceId } from '@model-service/util';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IsNumber, IsString } from 'class-validator';

import { deleteQueues, publishRaw, queueDepth, takeAll, uniqueName, waitFor } from '../testing';
import { Publisher } from './publisher';
import { RabbitConnection } from './rabbit-connection';
import { createRabbitTransport, RabbitContext, RabbitTransport } from './rabbit-transport';

const url = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const TICKS = uniqueName('test.nest.ticks');
const FAILING = uniqueName('test.nest.failing');

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

@Controller()
class TicksController {
  @EventPattern(TICKS, { schema: Tick, prefetch: 10 })
  onTick(@Payload() tick: Tick, @Ctx() ctx: RabbitContext): void {
    received.push({ tick, queue: ctx.getQueue(), traceFromCtx: ctx.getTraceId(), traceInHandler: currentTraceId() });
  }

  @EventPattern(FAILING, { maxRetries: 1, retryDelayMs: 10 })
  async onFailing(): Promise<void> {
    failingCalls++;
    throw new Error('cannot handle this');
  }
}

@Module({ controllers: [TicksController] })
class TicksModule {}

describe('RabbitTransport in a Nest microservice', () => {
  let app: INestMicroservice;
  let transport: RabbitTransport;
  let connection: RabbitConnection;
  let publisher: Publisher;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TicksModule] }).compile();
    transport = createRabbitTransport({ url, name: uniqueName('nest-spec') });
    app = moduleRef.createNestMicroservice({ strategy: transport, logger: false });
    await app.listen();
    connection = new RabbitConnection({ url, name: uniqueName('nest-spec-publisher') });
    publisher = new Publisher(connection);
  });

  afterAll(async () => {
    await app.close();
    await publisher.close();
    await connection.close();
    await deleteQueues(url, [TICKS, `${TICKS}.dlq`, FAILING, `${FAILING}.dlq`]);
  });

  it('delivers plain JSON (no Nest envelope) to an @EventPattern handler, validated, inside its trace', async () => {
    expect(transport.isConnected()).toBe(true);
    await publisher.sendToQueue(TICKS, { symbol: 'BTCUSDT', price: 65000.5, trace_id: 'trace-nest-1' });
    await publishRaw(url, TICKS, [JSON.stringify({ symbol: 'ETHUSDT', price: 3100 })], { trace_id: 'trace-nest-2' });
    await waitFor(() => received.length === 2, 10_000, 'both ticks');
    const btc = received.find((r) => r.tick.symbol === 'BTCUSDT');
    const eth = received.find((r) => r.tick.symbol === 'ETHUSDT');
    expect(btc!.tick).toBeInstanceOf(Tick);
    expect(btc!.tick).toMatchObject({ symbol: 'BTCUSDT', price: 65000.5 });
    expect(btc!.traceInHandler).toBe('trace-nest-1');
    expect(eth!.tick).toMatchObject({ symbol: 'ETHUSDT', price: 3100 });
    expect(eth!.traceFromCtx).toBe('trace-nest-2');
    expect(eth!.traceInHandler).toBe('trace-nest-2');
    expect(eth!.queue).toBe(TICKS);
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

  it('retries a throwing handler through Nest exception filters, then dead-letters it', async () => {
    await publisher.sendToQueue(FAILING, { id: 1 });
    await waitFor(async () => (await queueDepth(url, `${FAILING}.dlq`)) === 1, 10_000, 'the failing message in the DLQ');
    expect(failingCalls).toBe(2);
    const [dead] = await takeAll(url, `${FAILING}.dlq`);
    expect(JSON.parse(dead!.body.toString())).toEqual({ id: 1 });
    expect(String(dead!.headers['x-death-reason'])).toMatch(/^handler failed after 2 attempt\(s\)/);
  });
});

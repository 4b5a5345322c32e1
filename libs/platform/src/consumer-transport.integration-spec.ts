import { ConsumerHost, MessagingModule, RABBITMQ_CONSUMER_TRANSPORT } from '@model-service/messaging';
import { deleteQueues, publishRaw, TEST_RABBITMQ_URL, uniqueName, waitFor } from '@model-service/messaging/testing';
import { BaseServiceEnv, ObservabilityModule, validateEnv } from '@model-service/util';
import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';

import { bootstrapService, RunningService } from './bootstrap-service';

const url = TEST_RABBITMQ_URL;
const QUEUE = uniqueName('test.transport.ticks');
const received: unknown[] = [];

@Injectable()
class Handlers implements OnApplicationBootstrap {
  constructor(private readonly host: ConsumerHost) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.host.consume({ queue: QUEUE, handler: (body) => void received.push(body) });
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'transport-spec', controller: false }),
    MessagingModule.forRoot({ url, name: uniqueName('transport-spec-publisher'), consumer: { name: uniqueName('transport-spec-consumer') } }),
  ],
  providers: [Handlers],
})
class ConsumingModule {}

@Module({ imports: [ObservabilityModule.forRoot({ service: 'transport-spec-http', controller: false })] })
class HttpOnlyModule {}

describe('bootstrapService: the ConsumerHost is the app’s Nest microservice transport', () => {
  const config = validateEnv(BaseServiceEnv, { MODEL_SERVICE_PORT: '0', MODEL_SERVICE_LOG_LEVEL: 'error' });
  let running: RunningService | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  afterAll(() => deleteQueues(url, [QUEUE]));

  it('starts the host as a microservice once the broker is up, consumes, and Nest closes it with the app', async () => {
    running = await bootstrapService({ service: 'transport-spec', config, module: ConsumingModule });
    const host = running.app.get(ConsumerHost);
    const microservices = running.app.getMicroservices();
    expect(microservices).toHaveLength(1);
    expect(host.transportId).toBe(RABBITMQ_CONSUMER_TRANSPORT);
    expect(host.isConnected()).toBe(true);

    await publishRaw(url, QUEUE, [JSON.stringify({ n: 1 })]);
    await waitFor(() => received.length === 1, 5_000);
    expect(received).toEqual([{ n: 1 }]);

    // No app hook stops the host here: closing the app must (Nest closes its transports).
    await running.close();
    running = undefined;
    expect(host.isConnected()).toBe(false);
    await expect(host.consume({ queue: QUEUE, handler: () => undefined })).rejects.toThrow('ConsumerHost is stopped');
  });

  it('connects no transport for an app that does not consume', async () => {
    running = await bootstrapService({ service: 'transport-spec-http', config, module: HttpOnlyModule });
    expect(running.app.getMicroservices()).toHaveLength(0);
  });
});

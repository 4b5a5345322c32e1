import { HealthRegistry, MetricsRegistry } from '@model-service/util';
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';

import { Publisher } from './publisher';
import { RabbitConnection } from './rabbit-connection';

export interface MessagingModuleOptions {
  url: string;
  /** Connection name shown by the broker (e.g. the app's name). */
  name?: string;
  publisherMaxRetries?: number;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Registers the message_queue health check and closes publisher and connection on shutdown. */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly connection: RabbitConnection,
    private readonly publisher: Publisher,
    @Optional() @Inject(HealthRegistry) private readonly health?: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health?.registerCheck('message_queue', () =>
      this.connection.isConnected() ? { ok: true } : { ok: false, error: 'not connected to RabbitMQ' },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.connection.close();
  }
}

/** Provides one RabbitConnection and a Publisher to the whole app. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(opts: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: opts },
        {
          provide: RabbitConnection,
          useFactory: (o: MessagingModuleOptions) => new RabbitConnection({ url: o.url, name: o.name }),
          inject: [MESSAGING_OPTIONS],
        },
        {
          provide: Publisher,
          useFactory: (connection: RabbitConnection, o: MessagingModuleOptions, metrics?: MetricsRegistry) =>
            new Publisher(connection, { maxRetries: o.publisherMaxRetries, metrics }),
          inject: [RabbitConnection, MESSAGING_OPTIONS, { token: MetricsRegistry, optional: true }],
        },
        MessagingLifecycle,
      ],
      exports: [RabbitConnection, Publisher, MESSAGING_OPTIONS],
    };
  }
}

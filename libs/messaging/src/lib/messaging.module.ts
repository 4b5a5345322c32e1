import { BaseServiceEnv, HealthRegistry, MetricsRegistry } from '@model-service/util';
import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';

import { ConsumerHost, ConsumerHostOptions } from './consumer-host';
import { Publisher } from './publisher';
import { RabbitConnection } from './rabbit-connection';

export interface MessagingModuleOptions {
  url: string;
  /** Connection name shown by the broker (e.g. the app's name). */
  name?: string;
  publisherMaxRetries?: number;
  /**
   * When set, a ConsumerHost is provided too, on a connection of its own (`consumer.name`), with the app's
   * metrics and health registries; it stops consuming before the application shuts down.
   */
  consumer?: Omit<ConsumerHostOptions, 'url' | 'metrics' | 'health'>;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/**
 * Registers the message_queue health check; stops the consumer host (if any) before the application shuts
 * down (handlers in flight finish while the database is still open), then closes publisher and connection.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly connection: RabbitConnection,
    private readonly publisher: Publisher,
    @Optional() @Inject(HealthRegistry) private readonly health?: HealthRegistry,
    @Optional() @Inject(ConsumerHost) private readonly consumers?: ConsumerHost,
  ) {}

  onModuleInit(): void {
    this.health?.registerCheck('message_queue', () =>
      this.connection.isConnected() ? { ok: true } : { ok: false, error: 'not connected to RabbitMQ' },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.connection.close();
  }
}

/** Provides one RabbitConnection and a Publisher to the whole app, and the app's ConsumerHost when asked. */
@Global()
@Module({})
export class MessagingModule {
  /**
   * An app's messaging from its environment: the publisher's connection `<service>-publisher` and, with
   * `consume`, a ConsumerHost on `<service>-consumer` with RABBITMQ_PREFETCH, RABBITMQ_MAX_RETRIES and
   * RABBITMQ_CONSUMER_STALL_SECONDS as the defaults of its handler specs.
   */
  static forService(service: string, env: BaseServiceEnv, opts: { consume?: boolean; publisherMaxRetries?: number } = {}): DynamicModule {
    return MessagingModule.forRoot({
      url: env.RABBITMQ_URL,
      name: `${service}-publisher`,
      publisherMaxRetries: opts.publisherMaxRetries,
      consumer: opts.consume
        ? {
            name: `${service}-consumer`,
            prefetch: env.RABBITMQ_PREFETCH,
            maxRetries: env.RABBITMQ_MAX_RETRIES,
            stallAfterMs: env.RABBITMQ_CONSUMER_STALL_SECONDS * 1000,
          }
        : undefined,
    });
  }

  static forRoot(opts: MessagingModuleOptions): DynamicModule {
    const consumer = opts.consumer;
    const consumerHost = consumer
      ? [
          {
            provide: ConsumerHost,
            useFactory: (metrics?: MetricsRegistry, health?: HealthRegistry) => new ConsumerHost({ ...consumer, url: opts.url, metrics, health }),
            inject: [{ token: MetricsRegistry, optional: true }, { token: HealthRegistry, optional: true }],
          },
        ]
      : [];
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
        ...consumerHost,
        MessagingLifecycle,
      ],
      exports: [RabbitConnection, Publisher, MESSAGING_OPTIONS, ...(consumer ? [ConsumerHost] : [])],
    };
  }
}

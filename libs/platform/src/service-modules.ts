import { MessagingModule } from '@model-service/messaging';
import { RepositoriesModule } from '@model-service/repositories';
import { BaseServiceEnv, ObservabilityModule, ObservabilityOptions } from '@model-service/util';
import { DynamicModule } from '@nestjs/common';

export interface ServiceModulesOptions {
  /** Consume queues through the messaging lib's ConsumerHost (apps that only publish leave it off). */
  consume?: boolean;
  /** See ObservabilityOptions.health. */
  health?: ObservabilityOptions['health'];
  publisherMaxRetries?: number;
  /** A PostgreSQL schema other than DATABASE_SCHEMA (tests). */
  schema?: string;
}

/**
 * The infrastructure every service imports, built the same way from its environment: logging, metrics and
 * health (ObservabilityModule), PostgreSQL (RepositoriesModule) and RabbitMQ (MessagingModule), each named
 * after the service.
 */
export function serviceModules(service: string, env: BaseServiceEnv, opts: ServiceModulesOptions = {}): DynamicModule[] {
  return [
    ObservabilityModule.forRoot({ service, health: opts.health }),
    RepositoriesModule.forService(service, env, { schema: opts.schema }),
    MessagingModule.forService(service, env, { consume: opts.consume, publisherMaxRetries: opts.publisherMaxRetries }),
  ];
}

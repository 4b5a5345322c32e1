import 'reflect-metadata';

import { createRabbitTransport, RabbitTransport } from '@model-service/messaging';
import { BaseServiceEnv, configureLogging, HealthRegistry, Logger, NestWinstonLogger, redactConfig, redactText } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

export interface BootstrapOptions<C extends BaseServiceEnv> {
  /** Default service name for logs and /health (MODEL_SERVICE_SERVICE_NAME overrides it). */
  service: string;
  config: C;
  /** The root module, already configured with `config`. */
  module: unknown;
  /** Consume RabbitMQ through the custom transport (apps with @EventPattern handlers). */
  consumes?: boolean;
  /** Runs after Nest is created, before listening (register health infos, swagger, ...). */
  beforeListen?: (app: INestApplication) => Promise<void> | void;
}

export interface RunningService {
  app: INestApplication;
  transport?: RabbitTransport;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a hybrid NestJS app: RabbitMQ consumers through the one transport factory, plus an HTTP
 * server with /health and /metrics. The HTTP server comes up even when the broker is down, so
 * /health can say so (503, message_queue down); the transport reconnects by itself.
 */
export async function bootstrapService<C extends BaseServiceEnv>(opts: BootstrapOptions<C>): Promise<RunningService> {
  const { config } = opts;
  const service = config.MODEL_SERVICE_SERVICE_NAME ?? opts.service;
  configureLogging({ service, level: config.MODEL_SERVICE_LOG_LEVEL, format: config.LOG_FORMAT });
  const log = new Logger('bootstrap');
  // Secrets (URL passwords, keys, tokens) are masked.
  log.info('configuration', { config: redactConfig(config) });

  const app = await NestFactory.create(opts.module as never, { logger: new NestWinstonLogger(), bufferLogs: false });
  app.enableShutdownHooks();

  let transport: RabbitTransport | undefined;
  if (opts.consumes !== false) {
    transport = createRabbitTransport({
      url: config.RABBITMQ_URL,
      name: `${service}-consumer`,
      prefetch: config.RABBITMQ_PREFETCH,
      maxRetries: config.RABBITMQ_MAX_RETRIES,
      health: app.get(HealthRegistry),
      stallAfterMs: config.RABBITMQ_CONSUMER_STALL_SECONDS * 1000,
    });
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    const consumer = transport;
    app.get(HealthRegistry).registerCheck('message_queue_consumer', () => ({ ok: consumer.isConnected() }));
  }
  if (opts.beforeListen) await opts.beforeListen(app);
  if (transport) await app.startAllMicroservices();
  await app.listen(config.MODEL_SERVICE_PORT, '0.0.0.0');
  const url = await app.getUrl();
  log.info('service started', { url: url.replace('[::1]', '127.0.0.1'), port: config.MODEL_SERVICE_PORT });

  return {
    app,
    transport,
    url: url.replace('[::1]', '127.0.0.1'),
    close: () => app.close(),
  };
}

/** main.ts helper: run bootstrap, exit 1 with one clear line on a start-up failure. */
export function runMain(start: () => Promise<unknown>): void {
  start().catch((err: unknown) => {
    const log = new Logger('bootstrap');
    // Driver errors may quote a connection string: URL passwords are masked.
    const message = redactText(err instanceof Error ? err.message : String(err));
    const stack = err instanceof Error && err.stack ? redactText(err.stack) : undefined;
    log.error('start-up failed', { error: message, stack });
    process.stderr.write(`start-up failed: ${message}\n`);
    process.exit(1);
  });
}

import 'reflect-metadata';

import { ConsumerHost } from '@model-service/messaging';
import { BaseServiceEnv, configureLogging, Logger, NestWinstonLogger, redactConfig, redactText } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';

export interface BootstrapOptions<C extends BaseServiceEnv> {
  /** Default service name for logs and /health (MODEL_SERVICE_SERVICE_NAME overrides it). */
  service: string;
  config: C;
  /** The root module, already configured with `config`. */
  module: unknown;
  /** Runs after Nest is created, before listening (register health infos, swagger, ...). */
  beforeListen?: (app: INestApplication) => Promise<void> | void;
}

export interface RunningService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a NestJS app with an HTTP server for /health and /metrics. An app that consumes gets its
 * ConsumerHost from MessagingModule.forRoot({ consumer }) and hands it its handler specs; the host is
 * connected as the app's Nest microservice transport, started after the HTTP server and closed with the
 * app. The HTTP server comes up even when the broker is down, so /health can say so (503, message_queue
 * down); the connections reconnect by themselves.
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

  const consumers = optionalProvider(app, ConsumerHost);
  if (consumers) app.connectMicroservice({ strategy: consumers }, { inheritAppConfig: true });

  if (opts.beforeListen) await opts.beforeListen(app);
  await app.listen(config.MODEL_SERVICE_PORT, '0.0.0.0');
  if (consumers) await app.startAllMicroservices();
  const url = await app.getUrl();
  log.info('service started', { url: url.replace('[::1]', '127.0.0.1'), port: config.MODEL_SERVICE_PORT });

  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    close: () => app.close(),
  };
}

/** The app's instance of `token`, or undefined when no module provides it (app.get would log an error and exit). */
function optionalProvider<T>(app: INestApplication, token: new (...args: never[]) => T): T | undefined {
  for (const moduleRef of app.get(ModulesContainer).values()) {
    const instance: unknown = moduleRef.providers.get(token)?.instance;
    if (instance instanceof token) return instance;
  }
  return undefined;
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

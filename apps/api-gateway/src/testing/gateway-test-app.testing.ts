import { deleteExchanges, deleteQueues, TEST_RABBITMQ_URL, uniqueName } from '@model-service/messaging/testing';
import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { topology, Topology } from '@model-service/signals';
import { Clock, validateEnv } from '@model-service/util';
import { captureLogs } from '@model-service/util/testing';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';

import { AppModule } from '../app.module';
import { ApiGatewayEnv } from '../config/api-gateway.env';
import { configureHttpApp } from '../http/configure-http-app';

export const TEST_API_KEY = 'test-key-5b2f8c1e9a7d4e3f';
export const RABBITMQ_URL = TEST_RABBITMQ_URL;

export interface GatewayTestApp {
  app: INestApplication;
  /** supertest against the in-process server. */
  http: ReturnType<typeof request>;
  /** GET with the valid API key. */
  get(path: string): request.Test;
  /** POST with the valid API key and a JSON body. */
  post(path: string, body?: object): request.Test;
  db: TestDataSource;
  config: ApiGatewayEnv;
  targets: Topology;
  /** MODEL_STORAGE_PATH: a temporary directory. */
  storageDir: string;
  /** Every log line written while the app ran (JSON objects). */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface GatewayTestAppOptions {
  /** Variables on top of the test defaults (key, storage, database, broker, no per-key limit). */
  env?: Record<string, string>;
  clock?: Clock;
  deadLetterQueues?: string[];
}

/**
 * The api-gateway in-process against the real PostgreSQL (a fresh schema) and RabbitMQ (unique queue and
 * exchange names), with the same module, guards, pipes, filter, middleware and Swagger as main.ts.
 */
export async function startGatewayTestApp(opts: GatewayTestAppOptions = {}): Promise<GatewayTestApp> {
  const logs = captureLogs({ service: 'api-gateway-test', level: 'info' });

  const db = await createTestDataSource({ prefix: 'test_gw' });
  const storageDir = await mkdtemp(join(tmpdir(), 'gw-models-'));
  const prefix = `${uniqueName('test.gw')}.`;
  const config = validateEnv(ApiGatewayEnv, {
    MODEL_SERVICE_API_KEY: TEST_API_KEY,
    MODEL_STORAGE_PATH: storageDir,
    DATABASE_URL: db.url,
    RABBITMQ_URL,
    MODEL_SERVICE_API_RATE_LIMIT: '0', // tests of the limit turn it on
    QUEUE_PREFIX: prefix,
    ...opts.env,
  });
  const targets = topology(prefix);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config, { schema: db.schema, clock: opts.clock, deadLetterQueues: opts.deadLetterQueues })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureHttpApp(app);
  await app.init();
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    get: (path) => http.get(path).set('X-API-Key', TEST_API_KEY),
    post: (path, body) => {
      const req = http.post(path).set('X-API-Key', TEST_API_KEY);
      return body === undefined ? req : req.send(body);
    },
    db,
    config,
    targets,
    storageDir,
    logs,
    close: async () => {
      await app.close();
      await db.drop();
      await deleteQueues(RABBITMQ_URL, [targets.trainingCommands]);
      await deleteExchanges(RABBITMQ_URL, [targets.modelEventsExchange]);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

/**
 * The test app of the enclosing describe block: started in its beforeAll and closed in its afterAll. The
 * object returned is filled in once that beforeAll has run, so tests and later hooks use it as the app.
 */
export function gatewayTestAppPerSuite(opts: GatewayTestAppOptions = {}): GatewayTestApp {
  const suite = {} as GatewayTestApp;
  let started: GatewayTestApp | undefined;
  beforeAll(async () => {
    started = await startGatewayTestApp(opts);
    Object.assign(suite, started);
  });
  afterAll(() => started?.close());
  return suite;
}

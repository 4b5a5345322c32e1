import type { TestDataSource } from '@model-service/repositories/testing';
import type { Topology } from '@model-service/signals';
import { validateEnv } from '@model-service/util';
import type { INestApplication } from '@nestjs/common';

import { SignalGeneratorEnv } from '../config/signal-generator.env';
import type { ArchitectureSignalConsumer } from './architecture-signal-consumer.testing';
import { deleteAppTopology } from './broker-cleanup.testing';
import type { MarketReplay } from './market-replay.testing';

export const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/**
 * The environment of a signal-generator under test on its own schema and queue prefix: limits high enough that
 * only what a spec sets (in `extra`) decides, ownership retried every second.
 */
export function flowTestEnv(db: TestDataSource, prefix: string, strategies: unknown, extra: Record<string, string> = {}): SignalGeneratorEnv {
  return validateEnv(SignalGeneratorEnv, {
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    RABBITMQ_URL,
    QUEUE_PREFIX: prefix,
    TRADING_STRATEGIES: JSON.stringify(strategies),
    SIGNAL_GENERATION_OWNERSHIP_RETRY_SECONDS: '1',
    ...extra,
  });
}

/** What a flow spec started; each part may be missing when its set-up failed early. */
export interface FlowParts {
  ticking?: NodeJS.Timeout;
  app?: INestApplication;
  replay?: MarketReplay;
  reader?: ArchitectureSignalConsumer;
  names: Topology;
  db?: TestDataSource;
}

/** Stops the market replay, the app and the signal reader, then removes the spec's queues and schema. */
export async function closeFlow(parts: FlowParts): Promise<void> {
  clearInterval(parts.ticking);
  await parts.app?.close();
  await parts.replay?.close();
  await parts.reader?.stop();
  await deleteAppTopology(RABBITMQ_URL, parts.names);
  await parts.db?.drop();
}

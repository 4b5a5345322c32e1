import { AccountBalanceRepository } from '@model-service/repositories';
import { createTestDataSource, type TestDataSource } from '@model-service/repositories/testing';
import type { Topology } from '@model-service/signals';
import { validateEnv } from '@model-service/util';
import type { INestApplication } from '@nestjs/common';
import { TEST_RABBITMQ_URL } from '@model-service/messaging/testing';

import { SignalGeneratorEnv } from '../config/signal-generator.env';
import { ArchitectureSignalConsumer } from './architecture-signal-consumer.testing';
import { deleteAppTopology } from './broker-cleanup.testing';
import { MarketReplay } from './market-replay.testing';

export const RABBITMQ_URL = TEST_RABBITMQ_URL;

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

/** Enough of every coin the flow specs trade that no signal is skipped for want of funds. */
export const AMPLE_FUNDS: Record<string, number> = { USDT: 1_000_000, BTC: 100, ETH: 1_000, SOL: 100_000 };

/** What a flow spec runs the app against: its schema, a replay of the market on its queues, a reader of its signals queue. */
export interface FlowMarket {
  db: TestDataSource;
  replay: MarketReplay;
  reader: ArchitectureSignalConsumer;
}

/**
 * Opens a flow spec's market: a fresh schema (`<schemaPrefix>_…`) whose account holds `balances` (coin → wallet and
 * available balance), the market replay on `names` (seeded with `seed`, default the replay's) and the signals
 * reader, both started. What it opened is closed again when a step fails.
 */
export async function openFlowMarket(schemaPrefix: string, names: Topology, balances: Record<string, number>, seed?: number): Promise<FlowMarket> {
  const db = await createTestDataSource({ prefix: schemaPrefix });
  const replay = new MarketReplay(RABBITMQ_URL, names, seed);
  const reader = new ArchitectureSignalConsumer(RABBITMQ_URL, names.tradingSignals);
  try {
    const accounts = new AccountBalanceRepository(db.dataSource);
    for (const [coin, amount] of Object.entries(balances)) await accounts.insert({ coin, walletBalance: amount, availableBalance: amount });
    await replay.open();
    await reader.start();
    return { db, replay, reader };
  } catch (err) {
    await closeFlow({ replay, reader, names, db });
    throw err;
  }
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

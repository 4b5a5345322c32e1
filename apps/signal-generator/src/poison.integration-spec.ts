import { describePoisonAcceptance, PoisonTarget } from '@model-service/platform/testing';
import { createTestDataSource } from '@model-service/repositories/testing';
import { exampleBybitKline, exampleBybitOrderbook, exampleBybitTicker, exampleModelEvent } from '@model-service/signals/testing';
import { topology } from '@model-service/signals';
import { randomBytes } from 'node:crypto';

import { KIND_HEADER, ORIGIN_HEADER } from './market-data/market-data.consumer';
import { deleteAppTopology } from './testing/broker-cleanup.testing';

const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

describePoisonAcceptance('signal-generator', async () => {
  const db = await createTestDataSource({ prefix: 'sg_poison' });
  const prefix = `sgpoison.${randomBytes(4).toString('hex')}.`;
  const names = topology(prefix);
  const price = (n: number): number => 50000 + (n % 10);
  const direct = (queue: string, valid: (n: number) => object): PoisonTarget => ({
    queue,
    dlq: `${queue}.dlq`,
    consumedLabel: queue,
    valid: (n) => ({ body: valid(n) }),
  });
  return {
    env: { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, RABBITMQ_URL, QUEUE_PREFIX: prefix },
    targets: [
      direct(names.ticker, (n) => exampleBybitTicker('BTCUSDT', price(n), { ts: Date.now() })),
      direct(names.orderbook, (n) => exampleBybitOrderbook('BTCUSDT', price(n), { ts: Date.now(), updateId: n + 1 })),
      direct(names.kline, (n) => exampleBybitKline('BTCUSDT', price(n), { ts: Date.now() })),
      {
        exchange: names.modelEventsExchange,
        dlq: `${names.modelEventsReplicaQueue}.dlq`,
        consumedLabel: names.modelEventsReplicaQueue,
        // model_trained is informational: handled and acked, no model is loaded.
        valid: () => ({ body: exampleModelEvent({ event_type: 'model_trained' }) }),
      },
      {
        exchange: names.marketDataExchange,
        dlq: `${names.marketDataReplicaQueue}.dlq`,
        consumedLabel: names.marketDataReplicaQueue,
        // What another replica republishes.
        valid: (n) => ({
          body: exampleBybitTicker('ETHUSDT', 3000 + (n % 10), { ts: Date.now() }),
          headers: { [KIND_HEADER]: 'ticker', [ORIGIN_HEADER]: 'other-replica' },
        }),
      },
    ],
    cleanup: async () => {
      await deleteAppTopology(RABBITMQ_URL, names);
      await db.drop();
    },
  };
});

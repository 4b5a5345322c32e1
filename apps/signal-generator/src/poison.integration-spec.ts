import { describeAppPoisonAcceptance, queueTarget } from '@model-service/platform/testing';
import { exampleBybitKline, exampleBybitOrderbook, exampleBybitTicker, exampleModelEvent } from '@model-service/signals/testing';
import { TEST_RABBITMQ_URL } from '@model-service/messaging/testing';

import { KIND_HEADER, ORIGIN_HEADER } from './market-data/market-data.consumer';
import { deleteAppTopology } from './testing/broker-cleanup.testing';

const RABBITMQ_URL = TEST_RABBITMQ_URL;

describeAppPoisonAcceptance('signal-generator', 'sg_poison', (names) => {
  const price = (n: number): number => 50000 + (n % 10);
  return {
    targets: [
      queueTarget(names.ticker, (n) => exampleBybitTicker('BTCUSDT', price(n), { ts: Date.now() })),
      queueTarget(names.orderbook, (n) => exampleBybitOrderbook('BTCUSDT', price(n), { ts: Date.now(), updateId: n + 1 })),
      queueTarget(names.kline, (n) => exampleBybitKline('BTCUSDT', price(n), { ts: Date.now() })),
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
    cleanup: () => deleteAppTopology(RABBITMQ_URL, names),
  };
});

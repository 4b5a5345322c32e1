import { deleteQueues, uniqueName } from '@model-service/messaging/testing';
import { describePoisonAcceptance } from '@model-service/platform/testing';
import { createTestDataSource } from '@model-service/repositories/testing';
import { exampleTradingSignal } from '@model-service/signals/testing';
import { topology } from '@model-service/signals';


const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

describePoisonAcceptance('exchange-simulator', async () => {
  const db = await createTestDataSource({ prefix: 'sim_poison' });
  const prefix = `${uniqueName('simpoison')}.`;
  const q = topology(prefix);
  return {
    env: { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, RABBITMQ_URL, QUEUE_PREFIX: prefix, SIMULATOR_SPEED: '1' },
    targets: [
      {
        queue: q.tradingSignals,
        dlq: `${q.tradingSignals}.dlq`,
        consumedLabel: q.tradingSignals,
        valid: () => ({ body: exampleTradingSignal({ amount: 10, timestamp: new Date().toISOString() }) }),
      },
    ],
    cleanup: async () => {
      await deleteQueues(RABBITMQ_URL, [q.tradingSignals, `${q.tradingSignals}.dlq`, q.orderEvents, q.positionUpdated, q.ticker, q.orderbook, q.kline]);
      await db.drop();
    },
  };
});

import { deleteExchanges, deleteQueues } from '@model-service/messaging/testing';
import { describePoisonAcceptance } from '@model-service/platform/testing';
import { EXAMPLE_TS, examplePositionUpdate } from '@model-service/signals/testing';
import { createTestDataSource } from '@model-service/repositories/testing';
import { topology } from '@model-service/signals';
import { randomBytes } from 'node:crypto';


const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

describePoisonAcceptance('exit-strategy', async () => {
  const db = await createTestDataSource({ prefix: 'exit_poison' });
  const prefix = `exitpoison.${randomBytes(4).toString('hex')}.`;
  const names = topology(prefix);
  return {
    env: { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, RABBITMQ_URL, QUEUE_PREFIX: prefix, EXIT_STRATEGY_DEBOUNCE_MS: '0' },
    targets: [
      {
        queue: names.positionUpdated,
        dlq: `${names.positionUpdated}.dlq`,
        consumedLabel: names.positionUpdated,
        // One flat position (no exit rule fires), updated every tick.
        valid: (n) => ({
          body: examplePositionUpdate({
            position_id: 'poison-drill-1',
            current_price: 50000,
            unrealized_pnl: 0,
            unrealized_pnl_pct: 0,
            timestamp: new Date(EXAMPLE_TS + n * 1_000).toISOString(),
          }),
        }),
      },
    ],
    cleanup: async () => {
      await deleteQueues(RABBITMQ_URL, [names.positionUpdated, `${names.positionUpdated}.dlq`, names.tradingSignals, `${names.tradingSignals}.dlq`]);
      await deleteExchanges(RABBITMQ_URL, [names.positionEventsExchange]);
      await db.drop();
    },
  };
});

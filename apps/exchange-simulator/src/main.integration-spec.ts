import { deleteQueues, TEST_RABBITMQ_URL, uniqueName } from '@model-service/messaging/testing';
import { describeServiceStartup } from '@model-service/platform/testing';
import { topology } from '@model-service/signals';

// Own queue names, so the market this start-up test runs never reaches another test's consumers.
const prefix = `${uniqueName('sim-startup')}.`;

describeServiceStartup('exchange-simulator', { QUEUE_PREFIX: prefix, SIMULATOR_SPEED: '1' });

afterAll(async () => {
  const q = topology(prefix);
  await deleteQueues(TEST_RABBITMQ_URL, [
    q.tradingSignals,
    `${q.tradingSignals}.dlq`,
    q.orderEvents,
    q.positionUpdated,
    q.ticker,
    q.orderbook,
    q.kline,
  ]);
});

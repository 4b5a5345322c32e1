import { deleteQueues, TEST_RABBITMQ_URL } from '@model-service/messaging/testing';
import { describeAppPoisonAcceptance, queueTarget } from '@model-service/platform/testing';
import { exampleTradingSignal } from '@model-service/signals/testing';

const RABBITMQ_URL = TEST_RABBITMQ_URL;

describeAppPoisonAcceptance('exchange-simulator', 'sim_poison', (q) => ({
  env: { SIMULATOR_SPEED: '1' },
  targets: [queueTarget(q.tradingSignals, () => exampleTradingSignal({ amount: 10, timestamp: new Date().toISOString() }))],
  cleanup: () => deleteQueues(RABBITMQ_URL, [q.tradingSignals, `${q.tradingSignals}.dlq`, q.orderEvents, q.positionUpdated, q.ticker, q.orderbook, q.kline]),
}));

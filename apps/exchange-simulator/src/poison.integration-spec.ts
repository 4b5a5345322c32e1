import { deleteQueues } from '@model-service/messaging/testing';
import { describeAppPoisonAcceptance, queueTarget } from '@model-service/platform/testing';
import { exampleTradingSignal } from '@model-service/signals/testing';


const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

describeAppPoisonAcceptance('exchange-simulator', 'sim_poison', (q) => ({
  env: { SIMULATOR_SPEED: '1' },
  targets: [queueTarget(q.tradingSignals, () => exampleTradingSignal({ amount: 10, timestamp: new Date().toISOString() }))],
  cleanup: () => deleteQueues(RABBITMQ_URL, [q.tradingSignals, `${q.tradingSignals}.dlq`, q.orderEvents, q.positionUpdated, q.ticker, q.orderbook, q.kline]),
}));

import { deleteExchanges, deleteQueues, TEST_RABBITMQ_URL } from '@model-service/messaging/testing';
import { describeAppPoisonAcceptance, queueTarget } from '@model-service/platform/testing';
import { EXAMPLE_TS, examplePositionUpdate } from '@model-service/signals/testing';

const RABBITMQ_URL = TEST_RABBITMQ_URL;

describeAppPoisonAcceptance('exit-strategy', 'exit_poison', (names) => ({
  env: { EXIT_STRATEGY_DEBOUNCE_MS: '0' },
  targets: [
    // One flat position (no exit rule fires), updated every tick.
    queueTarget(names.positionUpdated, (n) =>
      examplePositionUpdate({
        position_id: 'poison-drill-1',
        current_price: 50000,
        unrealized_pnl: 0,
        unrealized_pnl_pct: 0,
        timestamp: new Date(EXAMPLE_TS + n * 1_000).toISOString(),
      }),
    ),
  ],
  cleanup: async () => {
    await deleteQueues(RABBITMQ_URL, [names.positionUpdated, `${names.positionUpdated}.dlq`, names.tradingSignals, `${names.tradingSignals}.dlq`]);
    await deleteExchanges(RABBITMQ_URL, [names.positionEventsExchange]);
  },
}));

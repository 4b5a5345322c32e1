import { deleteExchanges, deleteQueues, TEST_RABBITMQ_URL } from '@model-service/messaging/testing';
import { describeAppPoisonAcceptance, queueTarget } from '@model-service/platform/testing';
import { exampleExecutionEvent, exampleTrainingCommand } from '@model-service/signals/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RABBITMQ_URL = TEST_RABBITMQ_URL;

describeAppPoisonAcceptance('trainer', 'trainer_poison', (t) => {
  const store = mkdtempSync(join(tmpdir(), 'trainer-poison-'));
  return {
    env: { MODEL_STORAGE_PATH: store },
    targets: [
      queueTarget(t.orderEvents, () => exampleExecutionEvent()),
      // A cancel with nothing running: handled, and no training run eats the CPU.
      queueTarget(t.trainingCommands, () => exampleTrainingCommand({ command: 'cancel' })),
    ],
    cleanup: async () => {
      await deleteQueues(RABBITMQ_URL, [t.orderEvents, `${t.orderEvents}.dlq`, t.trainingCommands, `${t.trainingCommands}.dlq`]);
      await deleteExchanges(RABBITMQ_URL, [t.modelEventsExchange]);
      rmSync(store, { recursive: true, force: true });
    },
  };
});

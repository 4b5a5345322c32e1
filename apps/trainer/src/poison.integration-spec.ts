import { deleteExchanges, deleteQueues } from '@model-service/messaging/testing';
import { describePoisonAcceptance } from '@model-service/platform/testing';
import { createTestDataSource } from '@model-service/repositories/testing';
import { exampleExecutionEvent, exampleTrainingCommand } from '@model-service/signals/testing';
import { topology } from '@model-service/signals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';


const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

describePoisonAcceptance('trainer', async () => {
  const db = await createTestDataSource({ prefix: 'trainer_poison' });
  const store = mkdtempSync(join(tmpdir(), 'trainer-poison-'));
  const prefix = `trpoison.${randomBytes(4).toString('hex')}.`;
  const t = topology(prefix);
  return {
    env: { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, RABBITMQ_URL, QUEUE_PREFIX: prefix, MODEL_STORAGE_PATH: store },
    targets: [
      { queue: t.orderEvents, dlq: `${t.orderEvents}.dlq`, consumedLabel: t.orderEvents, valid: () => ({ body: exampleExecutionEvent() }) },
      {
        queue: t.trainingCommands,
        dlq: `${t.trainingCommands}.dlq`,
        consumedLabel: t.trainingCommands,
        // A cancel with nothing running: handled, and no training run eats the CPU.
        valid: () => ({ body: exampleTrainingCommand({ command: 'cancel' }) }),
      },
    ],
    cleanup: async () => {
      await deleteQueues(RABBITMQ_URL, [t.orderEvents, `${t.orderEvents}.dlq`, t.trainingCommands, `${t.trainingCommands}.dlq`]);
      await deleteExchanges(RABBITMQ_URL, [t.modelEventsExchange]);
      await db.drop();
      rmSync(store, { recursive: true, force: true });
    },
  };
});

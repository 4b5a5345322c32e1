import { EXCHANGES, QUEUES } from '@model-service/signals';

/** The broker names this app uses; TRAINER_QUEUE_PREFIX isolates test and benchmark copies. */
export interface TrainerTopology {
  orderEvents: string;
  trainingCommands: string;
  modelEventsExchange: string;
}

export function trainerTopology(env: { TRAINER_QUEUE_PREFIX?: string }): TrainerTopology {
  const p = env.TRAINER_QUEUE_PREFIX ?? '';
  return {
    orderEvents: `${p}${QUEUES.ORDER_EVENTS}`,
    trainingCommands: `${p}${QUEUES.TRAINING_COMMANDS}`,
    modelEventsExchange: `${p}${EXCHANGES.MODEL_EVENTS}`,
  };
}

import { EXCHANGES, QUEUES } from '@model-service/signals';

/** Where the gateway sends commands and events (tests substitute unique names). */
export interface MessagingTargets {
  trainingCommandsQueue: string;
  modelEventsExchange: string;
}

export const MESSAGING_TARGETS = Symbol('MESSAGING_TARGETS');

export const DEFAULT_MESSAGING_TARGETS: MessagingTargets = {
  trainingCommandsQueue: QUEUES.TRAINING_COMMANDS,
  modelEventsExchange: EXCHANGES.MODEL_EVENTS,
};

import type { Topology } from '@model-service/signals';

/** Where the gateway sends commands and events: signals' topology under QUEUE_PREFIX. */
export type MessagingTargets = Pick<Topology, 'trainingCommands' | 'modelEventsExchange'>;

export const MESSAGING_TARGETS = Symbol('MESSAGING_TARGETS');

/** Injection tokens of the signal-generator's plain values. */
export const STRATEGIES = Symbol('STRATEGIES');
export const QUEUE_NAMES = Symbol('QUEUE_NAMES');
export const REPLICA_ID = Symbol('REPLICA_ID');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

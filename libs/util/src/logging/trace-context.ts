import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface TraceStore {
  traceId: string;
}

const storage = new AsyncLocalStorage<TraceStore>();

/** Runs fn with traceId as the current trace id; every log line written inside carries it. */
export function runWithTrace<T>(traceId: string | undefined | null, fn: () => T): T {
  return storage.run({ traceId: traceId || newTraceId() }, fn);
}

export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}

export function newTraceId(): string {
  return randomUUID();
}

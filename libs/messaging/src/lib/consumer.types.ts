import { HealthRegistry, MetricsRegistry } from '@model-service/util';

import type { MessageParser } from './message-decoder';

export interface ConsumerSpec {
  /** Queue to consume; with fanoutExchange, the name prefix of the private queue. */
  queue: string;
  /** class-validator class the body must satisfy; the handler receives an instance of it. */
  schema?: new () => object;
  /** Alternative to schema: turns the raw body into the message or throws (e.g. signals' parse). */
  parse?: MessageParser;
  prefetch?: number;
  /** Retries after the first failed attempt before dead-lettering (default 3). */
  maxRetries?: number;
  /** First retry delay in ms, doubling per attempt (default 500, capped at 30 s). */
  retryDelayMs?: number;
  /** Handle one message at a time in arrival order; a failing message is retried in place. */
  ordered?: boolean;
  /**
   * One consumer at a time across replicas. On a queue we own: `x-single-active-consumer`. On a queue a
   * neighbour owns (signals' isSharedQueue), whose arguments we must not change: an exclusive consume, the
   * other replicas retrying as standbys.
   */
  singleActiveConsumer?: boolean;
  /** When set: declare this fanout exchange and bind a private exclusive queue to it (queue = name prefix). */
  fanoutExchange?: string;
}

export interface MessageContext {
  queue: string;
  headers: Record<string, unknown>;
  traceId: string;
  redelivered: boolean;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  rawBody: Buffer;
}

export type MessageHandler<T = unknown> = (message: T, ctx: MessageContext) => Promise<void> | void;

export interface ConsumerOptions {
  defaultPrefetch?: number;
  defaultMaxRetries?: number;
  defaultRetryDelayMs?: number;
  metrics?: MetricsRegistry;
  /** Longest body written to a log line for an invalid or dead-lettered message (default 64 KiB). */
  maxLoggedBodyBytes?: number;
  /** Bodies over this size are dead-lettered unparsed (default: signals' LIMITS.MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /**
   * When given, each consumed queue registers a `consumer:<queue>` check: down while a delivery stays
   * unsettled longer than stallAfterMs, while paused for a dependency, or while a message cannot be settled.
   */
  health?: HealthRegistry;
  /** See health (default 60 s: RABBITMQ_CONSUMER_STALL_SECONDS in the apps). */
  stallAfterMs?: number;
}

import { backoffMs, Logger, newTraceId, runWithTrace } from '@model-service/util';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';

import type { MessageContext, MessageHandler } from './consumer.types';
import { decodeJson, decodeMessage, type DecodeOptions, type DecodeResult } from './message-decoder';
import { bodyForLog, deadLetterHeaders, retryCountOf, retryHeaders, traceIdOf } from './message-headers';
import { MessagingMetrics } from './messaging-metrics';
import { ManagedChannel } from './managed-channel';

export interface QueueProcessorConfig {
  /** The queue messages are consumed from (the private queue for a fanout subscription). */
  queue: string;
  /** The name used in metrics and logs (the spec's queue). */
  label: string;
  deadLetterQueue: string;
  maxRetries: number;
  retryDelayMs: number;
  ordered: boolean;
  decode: DecodeOptions<unknown>;
  maxLoggedBodyBytes: number;
}

export interface ProcessorHooks {
  channel: ManagedChannel;
  metrics: MessagingMetrics;
  isStopping: () => boolean;
  /** Sleeps, but wakes early when the consumer stops. */
  pause: (ms: number) => Promise<void>;
}

const RETRY_DELAY_CAP_MS = 30_000;
/** A dead-letter or retry publish that is not confirmed within this time hands the message back to the queue. */
const REPUBLISH_TIMEOUT_MS = 10_000;

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err !== null && typeof err === 'object') {
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    return JSON.stringify(err);
  }
  return String(err);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** What happens to one delivered message: validate, handle, retry, dead-letter, ack. Never throws. */
export class QueueProcessor {
  private readonly log = new Logger('Consumer');

  constructor(
    private readonly config: QueueProcessorConfig,
    private readonly handler: MessageHandler<unknown>,
    private readonly hooks: ProcessorHooks,
  ) {}

  /**
   * Handles one delivery. Returns nothing when everything finished synchronously (no schema, a sync
   * handler: no promise is created on that path), else a promise that settles when the message is.
   */
  process(channel: ConfirmChannel, msg: ConsumeMessage): void | Promise<void> {
    if (this.hooks.isStopping()) return this.settle(channel, msg, 'requeue');
    const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
    const { decode } = this.config;
    if (decode.schema || decode.parse) {
      return decodeMessage(msg.content, decode).then((decoded) => this.dispatch(channel, msg, headers, decoded));
    }
    return this.dispatch(channel, msg, headers, decodeJson(msg.content));
  }

  private dispatch(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    headers: Record<string, unknown>,
    decoded: DecodeResult<unknown>,
  ): void | Promise<void> {
    const traceId = traceIdOf(decoded.parsed, headers) ?? newTraceId();
    if (!decoded.ok) {
      this.log.warn('invalid message; moving it to the dead-letter queue', {
        queue: this.config.label,
        reason: decoded.reason,
        trace_id: traceId,
        ...bodyForLog(msg.content, this.config.maxLoggedBodyBytes),
      });
      return this.guard(channel, msg, async () => {
        await this.deadLetter(channel, msg, decoded.reason, traceId);
        this.hooks.metrics.deadLettered(this.config.label, 'invalid');
      });
    }
    return this.attempt(channel, msg, decoded.value, headers, traceId, retryCountOf(headers) + 1);
  }

  /** Runs the handler once; success acks (synchronously for a sync handler), failure goes to onFailure. */
  private attempt(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    message: unknown,
    headers: Record<string, unknown>,
    traceId: string,
    attempt: number,
  ): void | Promise<void> {
    const ctx: MessageContext = {
      queue: this.config.label,
      headers,
      traceId,
      redelivered: msg.fields.redelivered,
      attempt,
      rawBody: msg.content,
    };
    const failed = (err: unknown): Promise<void> =>
      this.guard(channel, msg, () => this.onFailure(channel, msg, message, headers, traceId, attempt, err));
    let result: unknown;
    try {
      result = runWithTrace(traceId, () => this.handler(message, ctx));
    } catch (err) {
      return failed(err);
    }
    if (isThenable(result)) return Promise.resolve(result).then(() => this.succeeded(channel, msg), failed);
    this.succeeded(channel, msg);
  }

  private succeeded(channel: ConfirmChannel, msg: ConsumeMessage): void {
    this.settle(channel, msg, 'ack');
    this.hooks.metrics.consumed(this.config.label);
  }

  private async onFailure(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    message: unknown,
    headers: Record<string, unknown>,
    traceId: string,
    attempt: number,
    err: unknown,
  ): Promise<void> {
    const { config } = this;
    if (attempt > config.maxRetries) {
      const reason = `handler failed after ${attempt} attempt(s): ${errorText(err)}`;
      this.log.error('handler keeps failing; moving the message to the dead-letter queue', {
        queue: config.label,
        reason,
        trace_id: traceId,
        ...bodyForLog(msg.content, config.maxLoggedBodyBytes),
      });
      await this.deadLetter(channel, msg, reason, traceId);
      this.hooks.metrics.deadLettered(config.label, 'handler_failed');
      return;
    }
    const delay = backoffMs(attempt, config.retryDelayMs, RETRY_DELAY_CAP_MS);
    this.log.warn('handler failed; will retry', {
      queue: config.label,
      attempt,
      max_retries: config.maxRetries,
      retry_in_ms: delay,
      trace_id: traceId,
      error: errorText(err),
    });
    this.hooks.metrics.retried(config.label);
    await this.hooks.pause(delay);
    if (config.ordered) {
      // In order: retry in place so no later message overtakes this one; on stop, hand it back.
      if (this.hooks.isStopping()) return this.settle(channel, msg, 'requeue');
      return this.attempt(channel, msg, message, headers, traceId, attempt + 1);
    }
    // Not ordered: a copy with the retry count goes to the back of the queue, then the original is acked,
    // so the retry survives a restart and never blocks the other messages.
    await this.hooks.channel.current.sendToQueue(config.queue, msg.content, {
      ...this.copiedProperties(msg),
      headers: retryHeaders(headers, attempt, traceId),
    });
    this.settle(channel, msg, 'ack');
  }

  /** Runs a dead-letter / retry step; if its publish fails, the message goes back to the queue. Never rejects. */
  private async guard(channel: ConfirmChannel, msg: ConsumeMessage, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      this.log.error('could not settle message; returning it to the queue', {
        queue: this.config.label,
        error: errorText(err),
      });
      this.settle(channel, msg, 'requeue');
    }
  }

  private async deadLetter(channel: ConfirmChannel, msg: ConsumeMessage, reason: string, traceId: string): Promise<void> {
    const headers = deadLetterHeaders(msg.properties.headers as Record<string, unknown> | undefined, {
      reason,
      queue: this.config.label,
      traceId,
      failedAt: new Date(),
    });
    await this.hooks.channel.current.sendToQueue(this.config.deadLetterQueue, msg.content, {
      ...this.copiedProperties(msg),
      headers,
    });
    this.settle(channel, msg, 'ack');
  }

  private copiedProperties(msg: ConsumeMessage): Options.Publish {
    const p = msg.properties;
    const out: Options.Publish & { timeout: number } = { persistent: true, timeout: REPUBLISH_TIMEOUT_MS };
    if (p.contentType) out.contentType = p.contentType;
    if (p.contentEncoding) out.contentEncoding = p.contentEncoding;
    if (p.messageId) out.messageId = p.messageId;
    if (p.correlationId) out.correlationId = p.correlationId;
    if (p.timestamp) out.timestamp = p.timestamp;
    if (p.type) out.type = p.type;
    if (p.appId) out.appId = p.appId;
    return out;
  }

  /** Acks or requeues on the channel the message came from; if that channel is gone, the broker redelivers. */
  private settle(channel: ConfirmChannel, msg: ConsumeMessage, how: 'ack' | 'requeue'): void {
    try {
      if (how === 'ack') channel.ack(msg);
      else channel.nack(msg, false, true);
    } catch (err) {
      this.log.debug('channel closed before the message was settled; the broker will redeliver it', {
        queue: this.config.label,
        error: errorText(err),
      });
    }
  }
}

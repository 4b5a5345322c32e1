import { backoffMs, CheckResult, Logger, newTraceId, runWithTrace } from '@model-service/util';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';

import type { MessageContext, MessageHandler } from './consumer.types';
import { decodeJson, decodeMessage, type DecodeOptions, type DecodeResult } from './message-decoder';
import { bodyForLog, deadLetterHeaders, retryCountOf, retryHeaders, traceIdOf } from './message-headers';
import { MessagingMetrics } from './messaging-metrics';
import { ManagedChannel } from './managed-channel';
import { isTransientError } from './transient-error';

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
  /** A delivery in flight with nothing settled for this long makes progress() report the queue stuck. */
  stallAfterMs: number;
  /** First and longest pause after a transient handler failure (default 250 ms, 5 s). */
  transientPauseMs?: [base: number, cap: number];
}

export interface ProcessorHooks {
  channel: ManagedChannel;
  metrics: MessagingMetrics;
  isStopping: () => boolean;
  /** Sleeps, but wakes early when the consumer stops. */
  pause: (ms: number) => Promise<void>;
  /** True when the consumed queue has a broker-side dead-letter exchange (nack without requeue keeps the body). */
  hasBrokerDeadLetter: () => boolean;
  /** False once the channel a delivery came on has closed (the broker redelivers its unacked messages). */
  isChannelOpen: (channel: ConfirmChannel) => boolean;
}

const RETRY_DELAY_CAP_MS = 30_000;
/** Failed dead-letter/retry publishes of one delivery before the fallback (broker dead-letter, or hold). */
export const MAX_SETTLE_ATTEMPTS = 3;
const SETTLE_RETRY_CAP_MS = 30_000;
/** Pause after a transient handler failure: doubles from the base up to the cap while the dependency stays down. */
const TRANSIENT_PAUSE_BASE_MS = 250;
const TRANSIENT_PAUSE_CAP_MS = 5_000;
/** A dead-letter or retry publish that is not confirmed within this time hands the message back to the queue. */
const REPUBLISH_TIMEOUT_MS = 10_000;

/** An error's text for a log line or header, bounded (an error may quote a hostile value). */
function errorText(err: unknown): string {
  let text: string;
  if (err instanceof Error) text = err.message;
  else if (err !== null && typeof err === 'object') {
    const message = (err as { message?: unknown }).message;
    try {
      text = typeof message === 'string' ? message : JSON.stringify(err);
    } catch {
      text = 'unprintable error';
    }
  } else text = String(err);
  return text.length > 1_000 ? `${text.slice(0, 1_000)}…` : text;
}

/** One delivery on its way through the handler: where it came from, its decoded body, its trace and attempt. */
interface Delivery {
  channel: ConfirmChannel;
  msg: ConsumeMessage;
  message: unknown;
  headers: Record<string, unknown>;
  traceId: string;
  attempt: number;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * What happens to one delivered message: validate, handle, retry, dead-letter, ack. Never throws.
 * Also the queue's progress for /health: in flight without a settle for too long, paused after a
 * transient failure, or holding a delivery it cannot settle.
 */
export class QueueProcessor {
  private readonly log = new Logger('Consumer');
  /** Deliveries received and not yet settled, and when the last one settled (or work arrived after idling). */
  private inFlight = 0;
  private lastProgressAt = Date.now();
  /** While a dependency is down: the time handlers may run again (0 = not paused), and why. */
  private pausedUntil = 0;
  private transientFailures = 0;
  private pauseError = '';
  /** Deliveries whose settle keeps failing on a queue without a broker dead-letter exchange. */
  private holding = 0;
  private settleError = '';

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
    if (this.inFlight++ === 0) this.lastProgressAt = Date.now();
    if (this.hooks.isStopping()) return this.settle(channel, msg, 'requeue');
    if (this.pausedUntil !== 0) return this.waitWhilePaused().then(() => this.start(channel, msg));
    return this.start(channel, msg);
  }

  /** For /health: ok, or why this queue is not making progress. */
  progress(): CheckResult {
    const queue = this.config.label;
    if (this.holding > 0) {
      return { ok: false, queue, error: `${this.holding} message(s) on ${queue} cannot be settled: ${this.settleError}` };
    }
    if (this.pausedUntil !== 0) return { ok: false, queue, error: `consumer of ${queue} paused: ${this.pauseError}` };
    const idleMs = Date.now() - this.lastProgressAt;
    if (this.inFlight > 0 && idleMs > this.config.stallAfterMs) {
      return { ok: false, queue, error: `${this.inFlight} message(s) on ${queue} unsettled, nothing settled for ${Math.round(idleMs / 1000)} s` };
    }
    return { ok: true, queue, in_flight: this.inFlight };
  }

  private start(channel: ConfirmChannel, msg: ConsumeMessage): void | Promise<void> {
    // Stopping: hand it back. Channel gone (an ordered backlog after a reconnect): the broker redelivers it.
    if (this.hooks.isStopping() || !this.hooks.isChannelOpen(channel)) return this.settle(channel, msg, 'requeue');
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
      return this.guard(channel, msg, async (n) => {
        await this.deadLetter(channel, msg, decoded.reason, traceId, n > 1);
        this.hooks.metrics.deadLettered(this.config.label, 'invalid');
      });
    }
    return this.attempt({ channel, msg, message: decoded.value, headers, traceId, attempt: retryCountOf(headers) + 1 });
  }

  /** Runs the handler once; success acks (synchronously for a sync handler), failure goes to onFailure. */
  private attempt(delivery: Delivery): void | Promise<void> {
    const { channel, msg, message, headers, traceId, attempt } = delivery;
    const ctx: MessageContext = {
      queue: this.config.label,
      headers,
      traceId,
      redelivered: msg.fields.redelivered,
      attempt,
      rawBody: msg.content,
    };
    const failed = (err: unknown): Promise<void> =>
      isTransientError(err)
        ? this.onTransientFailure(delivery, err)
        : this.guard(channel, msg, (n) => this.onFailure(delivery, err, n));
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
    if (this.transientFailures !== 0) this.resume();
    this.settle(channel, msg, 'ack');
    this.hooks.metrics.consumed(this.config.label);
  }

  /**
   * A dependency is down (database, broker): the message is not at fault. It stays unacked and is tried
   * again, attempt not counted, after a pause that grows while failures continue; every delivery of this
   * queue waits out the same pause, so with prefetch N at most N messages are held and nothing is dead-lettered.
   */
  private async onTransientFailure(delivery: Delivery, err: unknown): Promise<void> {
    const { channel, msg, traceId } = delivery;
    this.transientFailures++;
    this.pauseError = errorText(err);
    const [base, cap] = this.config.transientPauseMs ?? [TRANSIENT_PAUSE_BASE_MS, TRANSIENT_PAUSE_CAP_MS];
    const until = Date.now() + backoffMs(this.transientFailures, base, cap);
    if (until > this.pausedUntil) this.pausedUntil = until;
    if (this.transientFailures === 1 || this.transientFailures % 20 === 0) {
      this.log.warn('dependency unavailable; consumer paused, message kept for later', {
        queue: this.config.label,
        failures: this.transientFailures,
        trace_id: traceId,
        error: this.pauseError,
      });
    }
    await this.waitWhilePaused();
    if (this.hooks.isStopping() || !this.hooks.isChannelOpen(channel)) return this.settle(channel, msg, 'requeue');
    await this.attempt(delivery);
  }

  private async waitWhilePaused(): Promise<void> {
    for (let wait = this.pausedUntil - Date.now(); wait > 0 && !this.hooks.isStopping(); wait = this.pausedUntil - Date.now()) {
      await this.hooks.pause(wait);
    }
  }

  private resume(): void {
    this.log.info('dependency back; consumer resumed', { queue: this.config.label, failures: this.transientFailures });
    this.transientFailures = 0;
    this.pausedUntil = 0;
    this.pauseError = '';
  }

  private async onFailure(delivery: Delivery, err: unknown, settleAttempt: number): Promise<void> {
    const { config } = this;
    const { channel, msg, traceId, attempt } = delivery;
    if (attempt > config.maxRetries) {
      const reason = `handler failed after ${attempt} attempt(s): ${errorText(err)}`;
      this.log.error('handler keeps failing; moving the message to the dead-letter queue', {
        queue: config.label,
        reason,
        trace_id: traceId,
        ...bodyForLog(msg.content, config.maxLoggedBodyBytes),
      });
      await this.deadLetter(channel, msg, reason, traceId, settleAttempt > 1);
      this.hooks.metrics.deadLettered(config.label, 'handler_failed');
      return;
    }
    if (settleAttempt > 1) {
      // The retry copy could not be published: try that again without waiting for the retry delay twice.
      await this.republishRetry(delivery);
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
      return this.attempt({ ...delivery, attempt: attempt + 1 });
    }
    await this.republishRetry(delivery);
  }

  /**
   * Not ordered: a copy with the retry count goes to the back of the queue, then the original is acked,
   * so the retry survives a restart and never blocks the other messages.
   */
  private async republishRetry({ channel, msg, headers, traceId, attempt }: Delivery): Promise<void> {
    await this.hooks.channel.current.sendToQueue(this.config.queue, msg.content, {
      ...this.copiedProperties(msg),
      headers: retryHeaders(headers, attempt, traceId),
    });
    this.settle(channel, msg, 'ack');
  }

  /**
   * Runs a dead-letter / retry step (its argument: 1 for the first try, 2, ...) until it succeeds. It is never
   * requeued to loop: after MAX_SETTLE_ATTEMPTS failures the message is rejected into the queue's broker-side
   * dead-letter exchange (the broker keeps the body), or, on a queue without one (a neighbour's), held unacked
   * and reported on /health while the step is retried with backoff. Never rejects.
   */
  private async guard(channel: ConfirmChannel, msg: ConsumeMessage, step: (n: number) => Promise<void>): Promise<void> {
    let held = false;
    try {
      for (let n = 1; ; n++) {
        try {
          await step(n);
          return;
        } catch (err) {
          this.settleError = errorText(err);
          if (!this.hooks.isChannelOpen(channel) || this.hooks.isStopping()) {
            // Channel gone: the broker redelivers it. Stopping: hand it back for the next consumer.
            this.settle(channel, msg, 'requeue');
            return;
          }
          if (n >= MAX_SETTLE_ATTEMPTS && this.hooks.hasBrokerDeadLetter()) {
            this.log.error('could not settle message; rejecting it into the broker dead-letter exchange', {
              queue: this.config.label,
              attempts: n,
              error: this.settleError,
            });
            this.settle(channel, msg, 'reject');
            this.hooks.metrics.deadLettered(this.config.label, 'settle_failed');
            return;
          }
          if (n === MAX_SETTLE_ATTEMPTS) {
            held = true;
            this.holding++;
            this.log.error('could not settle message and the queue has no broker dead-letter exchange; holding it', {
              queue: this.config.label,
              attempts: n,
              error: this.settleError,
            });
          } else if (n < MAX_SETTLE_ATTEMPTS) {
            this.log.warn('could not settle message; trying again', { queue: this.config.label, attempt: n, error: this.settleError });
          }
          await this.hooks.pause(backoffMs(n, 200, SETTLE_RETRY_CAP_MS));
        }
      }
    } finally {
      if (held) this.holding--;
    }
  }

  private async deadLetter(channel: ConfirmChannel, msg: ConsumeMessage, reason: string, traceId: string, minimal: boolean): Promise<void> {
    const headers = deadLetterHeaders(
      msg.properties.headers as Record<string, unknown> | undefined,
      { reason, queue: this.config.label, traceId, failedAt: new Date() },
      minimal,
    );
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

  /**
   * Acks, requeues or rejects (no requeue: the broker dead-letters it) on the channel the message came from;
   * if that channel is gone, the broker redelivers. Every delivery ends here exactly once.
   */
  private settle(channel: ConfirmChannel, msg: ConsumeMessage, how: 'ack' | 'requeue' | 'reject'): void {
    this.inFlight--;
    try {
      if (how === 'ack') channel.ack(msg);
      else channel.nack(msg, false, how === 'requeue');
      // Progress only when the broker hears of it: settling on a lost channel (a delivery that comes back) is none.
      if (this.hooks.isChannelOpen(channel)) this.lastProgressAt = Date.now();
    } catch (err) {
      this.log.debug('channel closed before the message was settled; the broker will redeliver it', {
        queue: this.config.label,
        error: errorText(err),
      });
    }
  }
}

import { Logger } from '@model-service/util';
import type { Channel, ChannelModel, Options } from 'amqplib';

const PRECONDITION_FAILED = 406;

function errorCode(err: unknown): unknown {
  return err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
}

/**
 * Runs fn on a short-lived channel of its own, so a broker error there (406 on a declaration)
 * closes only that channel and never the long-lived publishing or consuming one.
 */
export async function withTempChannel<T>(model: ChannelModel, fn: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await model.createChannel();
  channel.on('error', () => undefined);
  try {
    return await fn(channel);
  } finally {
    try {
      await channel.close();
    } catch {
      // already closed by the broker
    }
  }
}

/**
 * Declares a queue; when a neighbour already declared it with other arguments (406), uses the
 * existing queue as it is (passive check) and logs a warning instead of failing.
 */
export async function declareQueue(model: ChannelModel, queue: string, options: Options.AssertQueue, log: Logger): Promise<void> {
  try {
    await withTempChannel(model, (ch) => ch.assertQueue(queue, options));
  } catch (err) {
    if (errorCode(err) !== PRECONDITION_FAILED) throw err;
    log.warn('queue already exists with other arguments; using it as declared', {
      queue,
      wanted: options,
      error: err instanceof Error ? err.message : String(err),
    });
    await withTempChannel(model, (ch) => ch.checkQueue(queue));
  }
}

/** Declares a durable exchange, falling back to a passive check on 406 like declareQueue. */
export async function declareExchange(model: ChannelModel, exchange: string, type: string, log: Logger): Promise<void> {
  try {
    await withTempChannel(model, (ch) => ch.assertExchange(exchange, type, { durable: true }));
  } catch (err) {
    if (errorCode(err) !== PRECONDITION_FAILED) throw err;
    log.warn('exchange already exists with other arguments; using it as declared', { exchange, type });
    await withTempChannel(model, (ch) => ch.checkExchange(exchange));
  }
}

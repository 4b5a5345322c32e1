import { deadLetterExchangeName, deadLetterQueueName } from '@model-service/signals';
import { Logger } from '@model-service/util';
import type { Channel, ChannelModel, Options } from 'amqplib';


const PRECONDITION_FAILED = 406;
const NOT_FOUND = 404;

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
export async function declareQueue(model: ChannelModel, queue: string, options: Options.AssertQueue, log: Logger): Promise<boolean> {
  try {
    await withTempChannel(model, (ch) => ch.assertQueue(queue, options));
    return true;
  } catch (err) {
    if (errorCode(err) !== PRECONDITION_FAILED) throw err;
    log.warn('queue already exists with other arguments; using it as declared', {
      queue,
      wanted: options,
      error: err instanceof Error ? err.message : String(err),
    });
    await withTempChannel(model, (ch) => ch.checkQueue(queue));
    return false;
  }
}

/**
 * The broker-side dead-letter route of a queue: fanout exchange `<queue>.dlx` bound to the durable
 * `<queue>.dlq` (the same DLQ the consumer copies invalid messages to). Returns the exchange name.
 */
export async function declareDeadLetterRoute(model: ChannelModel, queue: string, log: Logger): Promise<string> {
  const dlx = deadLetterExchangeName(queue);
  const dlq = deadLetterQueueName(queue);
  await declareExchange(model, dlx, 'fanout', log);
  await declareQueue(model, dlq, { durable: true }, log);
  await withTempChannel(model, (ch) => ch.bindQueue(dlq, dlx, ''));
  return dlx;
}

/**
 * A queue we own: durable, with `x-dead-letter-exchange` → `<queue>.dlx` → `<queue>.dlq`, so a message
 * rejected without requeue is kept by the broker. Returns whether the queue carries that argument (false
 * when it already existed without it: then it is used as it is).
 */
export async function declareOwnedQueue(
  model: ChannelModel,
  queue: string,
  extraArguments: Record<string, unknown>,
  log: Logger,
): Promise<boolean> {
  const dlx = await declareDeadLetterRoute(model, queue, log);
  return declareQueue(model, queue, { durable: true, arguments: { ...extraArguments, 'x-dead-letter-exchange': dlx } }, log);
}

/**
 * A queue a neighbour owns (and may declare first, with its own arguments): used as it exists (passive
 * check, never a conflicting declaration); only when it is missing is it declared as the neighbour
 * would, plain and durable. Its `<queue>.dlq` is ours. Returns false: the queue has no dead-letter exchange of ours.
 */
export async function useSharedQueue(model: ChannelModel, queue: string, log: Logger): Promise<boolean> {
  await declareQueue(model, deadLetterQueueName(queue), { durable: true }, log);
  try {
    await withTempChannel(model, (ch) => ch.checkQueue(queue));
  } catch (err) {
    if (errorCode(err) !== NOT_FOUND) throw err;
    await declareQueue(model, queue, { durable: true }, log);
  }
  return false;
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

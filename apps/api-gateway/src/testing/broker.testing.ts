import { waitFor } from '@model-service/messaging/testing';
import { connect } from 'amqplib';

export interface ReceivedMessage {
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
  persistent: boolean;
}

export interface ExchangeWatcher {
  messages: ReceivedMessage[];
  /** Waits until at least n messages arrived (default 5 s). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** Waits until at least n messages satisfy `match` (default 5 s) and returns those. */
  waitForMatching(match: (m: ReceivedMessage) => boolean, n: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

/** Binds a private queue to a fanout exchange (declaring it as the gateway does) and collects what arrives. */
export async function watchFanout(url: string, exchange: string): Promise<ExchangeWatcher> {
  const conn = await connect(url, { noDelay: true });
  conn.on('error', () => undefined);
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  await ch.assertExchange(exchange, 'fanout', { durable: true });
  const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
  await ch.bindQueue(queue, exchange, '');
  const messages: ReceivedMessage[] = [];
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      messages.push({
        body: JSON.parse(msg.content.toString('utf8')) as Record<string, unknown>,
        headers: (msg.properties.headers ?? {}) as Record<string, unknown>,
        persistent: msg.properties.deliveryMode === 2,
      });
    },
    { noAck: true },
  );
  return {
    messages,
    waitFor: async (n, timeoutMs = 5_000) => {
      await waitFor(() => messages.length >= n, timeoutMs, `${n} message(s) on ${exchange}`);
      return messages;
    },
    waitForMatching: async (match, n, timeoutMs = 5_000) => {
      await waitFor(() => messages.filter(match).length >= n, timeoutMs, `${n} matching message(s) on ${exchange}`);
      return messages.filter(match);
    },
    close: async () => {
      await conn.close().catch(() => undefined);
    },
  };
}

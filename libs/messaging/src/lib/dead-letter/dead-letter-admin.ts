import { deadLetterQueueName } from '@model-service/signals';
import { connect, type ChannelModel, type ConfirmChannel, type GetMessage, type Options } from 'amqplib';

import { DeadLetterRecord, describeDeadLetter, redriveHeaders } from './dead-letter-record';

export interface DeadLetterQueueInfo {
  /** The dead-letter queue (`<queue>.dlq`). */
  queue: string;
  exists: boolean;
  messages: number;
}

export interface ShownDeadLetter extends DeadLetterRecord {
  /** The body as text, cut at maxBodyBytes. */
  body: string;
  bodyBytes: number;
  headers: Record<string, unknown>;
}

export interface RedriveResult {
  /** Messages sent back, per original queue. */
  redriven: Record<string, number>;
  /** Messages left in the dead-letter queue, per reason. */
  skipped: Record<string, number>;
}

const CONFIRM_BATCH = 100;

/**
 * Operator access to dead-letter queues over plain AMQP (no management plugin needed): how full they are,
 * what is in them (without taking anything out: read messages are handed back when the channel closes), and
 * a redrive that sends messages back to the queue they failed on, each acked from the DLQ only after the
 * broker confirmed its copy (a crash mid-way duplicates, never loses; consumers are idempotent).
 */
export class DeadLetterAdmin {
  private constructor(private readonly conn: ChannelModel) {}

  static async connect(url: string): Promise<DeadLetterAdmin> {
    const conn = await connect(url, { noDelay: true, clientProperties: { connection_name: 'dlq-admin' } });
    conn.on('error', () => undefined);
    return new DeadLetterAdmin(conn);
  }

  async close(): Promise<void> {
    await this.conn.close().catch(() => undefined);
  }

  /** Depth of each named queue's DLQ (names of the consumed queues or of their DLQs). */
  async list(queues: readonly string[]): Promise<DeadLetterQueueInfo[]> {
    const out: DeadLetterQueueInfo[] = [];
    for (const name of queues) {
      const queue = deadLetterQueueName(name);
      const depth = await this.depth(queue);
      out.push({ queue, exists: depth !== null, messages: depth ?? 0 });
    }
    return out;
  }

  /** The first `limit` messages of a DLQ, left in place. */
  async show(queue: string, limit = 10, maxBodyBytes = 4096): Promise<ShownDeadLetter[]> {
    const dlq = deadLetterQueueName(queue);
    const ch = await this.channel();
    try {
      const out: ShownDeadLetter[] = [];
      while (out.length < limit) {
        const msg = await ch.get(dlq, { noAck: false });
        if (msg === false) break;
        const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
        out.push({
          ...describeDeadLetter(headers, msg.content),
          body: msg.content.subarray(0, maxBodyBytes).toString('utf8'),
          bodyBytes: msg.content.length,
          headers,
        });
      }
      return out;
    } finally {
      // Closing the channel hands every unacked message back to the queue, in its place.
      await ch.close().catch(() => undefined);
    }
  }

  /**
   * Sends up to `limit` messages (default: all there are now) back to their original queue with their
   * original headers and a fresh retry count. A message whose original queue is unknown or missing stays.
   */
  async redrive(queue: string, limit = Number.POSITIVE_INFINITY): Promise<RedriveResult> {
    const dlq = deadLetterQueueName(queue);
    const result: RedriveResult = { redriven: {}, skipped: {} };
    const available = await this.depth(dlq);
    if (available === null) throw new Error(`queue ${dlq} does not exist`);
    // Only what is there now: a redriven message that fails again comes back and must not be taken twice.
    const todo = Math.min(limit, available);
    const ch = await this.channel();
    const held: GetMessage[] = [];
    let unconfirmed: GetMessage[] = [];
    const existing = new Map<string, boolean>();
    const confirm = async (): Promise<void> => {
      if (unconfirmed.length === 0) return;
      await ch.waitForConfirms();
      for (const m of unconfirmed) ch.ack(m);
      unconfirmed = [];
    };
    try {
      for (let taken = 0; taken < todo; taken++) {
        const msg = await ch.get(dlq, { noAck: false });
        if (msg === false) break;
        const headers = (msg.properties.headers ?? {}) as Record<string, unknown>;
        const target = describeDeadLetter(headers, msg.content).originalQueue;
        const skip = await this.whyNotRedrivable(target, existing);
        if (skip !== null || target === null) {
          held.push(msg);
          const why = skip ?? 'original queue unknown';
          result.skipped[why] = (result.skipped[why] ?? 0) + 1;
          continue;
        }
        ch.sendToQueue(target, msg.content, { ...copiedProperties(msg), headers: redriveHeaders(headers) });
        unconfirmed.push(msg);
        result.redriven[target] = (result.redriven[target] ?? 0) + 1;
        if (unconfirmed.length >= CONFIRM_BATCH) await confirm();
      }
      await confirm();
      for (const m of held) ch.nack(m, false, true);
      return result;
    } finally {
      // Anything not acked (held back, or unconfirmed after an error) returns to the DLQ.
      await ch.close().catch(() => undefined);
    }
  }

  private async whyNotRedrivable(target: string | null, existing: Map<string, boolean>): Promise<string | null> {
    if (target === null || target.endsWith('.dlq')) return 'original queue unknown';
    if (!existing.has(target)) existing.set(target, (await this.depth(target)) !== null);
    return existing.get(target) ? null : `original queue ${target} does not exist`;
  }

  /** Ready messages in a queue, or null when it does not exist (passive check on a throwaway channel). */
  private async depth(queue: string): Promise<number | null> {
    const ch = await this.conn.createChannel();
    ch.on('error', () => undefined);
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } catch {
      return null;
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  private async channel(): Promise<ConfirmChannel> {
    const ch = await this.conn.createConfirmChannel();
    ch.on('error', () => undefined);
    return ch;
  }
}

function copiedProperties(msg: GetMessage): Options.Publish {
  const p = msg.properties;
  const out: Options.Publish = { persistent: p.deliveryMode !== 1 };
  if (p.contentType) out.contentType = p.contentType as string;
  if (p.contentEncoding) out.contentEncoding = p.contentEncoding as string;
  if (p.messageId) out.messageId = p.messageId as string;
  if (p.correlationId) out.correlationId = p.correlationId as string;
  if (p.timestamp) out.timestamp = p.timestamp as number;
  if (p.type) out.type = p.type as string;
  if (p.appId) out.appId = p.appId as string;
  return out;
}

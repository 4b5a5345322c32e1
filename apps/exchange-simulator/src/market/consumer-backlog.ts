import { RabbitConnection } from '@model-service/messaging';
import type { Channel } from 'amqplib';

export interface Backlog {
  queue: string;
  messages: number;
}

/**
 * Measures how far the consumers of the simulator's output queues are behind: the ready messages of
 * each queue that has at least one consumer (a queue nobody reads is not waited for). Read with a
 * passive declare on a channel of its own; at most once per `minIntervalMs`.
 */
export class ConsumerBacklog {
  private channel?: Channel;
  private last: Backlog | null = null;
  private checkedAt = 0;

  constructor(
    private readonly connection: RabbitConnection,
    private readonly queues: readonly string[],
    private readonly minIntervalMs = 500,
  ) {}

  /** The queue furthest behind among those with consumers (null when none has any backlog or the broker is away). */
  async worst(now = Date.now()): Promise<Backlog | null> {
    if (now - this.checkedAt < this.minIntervalMs) return this.last;
    this.checkedAt = now;
    let worst: Backlog | null = null;
    for (const queue of this.queues) {
      const state = await this.check(queue);
      if (state && state.consumerCount > 0 && state.messageCount > (worst?.messages ?? 0)) worst = { queue, messages: state.messageCount };
    }
    this.last = worst;
    return worst;
  }

  async close(): Promise<void> {
    const ch = this.channel;
    this.channel = undefined;
    await ch?.close().catch(() => undefined);
  }

  private async check(queue: string): Promise<{ messageCount: number; consumerCount: number } | null> {
    try {
      if (!this.channel) {
        const model = this.connection.current;
        if (!model) return null;
        const ch = await model.createChannel();
        ch.on('error', () => undefined);
        ch.on('close', () => {
          if (this.channel === ch) this.channel = undefined;
        });
        this.channel = ch;
      }
      return await this.channel.checkQueue(queue);
    } catch {
      // A missing queue closes the channel (404); the next check opens a new one.
      this.channel = undefined;
      return null;
    }
  }
}

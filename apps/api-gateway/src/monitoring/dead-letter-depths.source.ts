import { DeadLetterAdmin, DeadLetterQueueInfo } from '@model-service/messaging';
import { deadLetterQueueName } from '@model-service/signals';
import { Clock } from '@model-service/util';

export interface DeadLetterDepth {
  /** The consumed queue. */
  queue: string;
  /** Its dead-letter queue, `<queue>.dlq`. */
  dead_letter_queue: string;
  /** False until the consuming app first declared it. */
  exists: boolean;
  messages: number;
}

export interface DeadLetterDepths {
  /** When the broker was asked (answers are reused for a few seconds). */
  checked_at: string;
  items: DeadLetterDepth[];
  total_messages: number;
}

const CACHE_MS = 5_000;

/**
 * Depth of every consumed queue's DLQ, asked with passive declares on a short-lived connection of the
 * messaging lib's DeadLetterAdmin (the same code as `npm run dlq -- list`). Answers are cached for 5 s so
 * dashboards refreshing in many browsers cost the broker one connection per 5 s. A broker that cannot be
 * reached is an error for the caller (503), not a table of zeros.
 */
export class DeadLetterDepthsSource {
  private cached: { at: number; value: Promise<DeadLetterDepths> } | null = null;

  constructor(
    private readonly url: string,
    private readonly queues: readonly string[],
    private readonly clock: Clock,
  ) {}

  read(): Promise<DeadLetterDepths> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const value = this.ask(now);
    this.cached = { at: now, value };
    value.catch(() => {
      if (this.cached?.value === value) this.cached = null;
    });
    return value;
  }

  private async ask(now: number): Promise<DeadLetterDepths> {
    const admin = await DeadLetterAdmin.connect(this.url);
    let rows: DeadLetterQueueInfo[];
    try {
      rows = await admin.list(this.queues);
    } finally {
      await admin.close();
    }
    const items = this.queues.map((queue, i) => ({
      queue,
      dead_letter_queue: deadLetterQueueName(queue),
      exists: rows[i]?.exists ?? false,
      messages: rows[i]?.messages ?? 0,
    }));
    return { checked_at: new Date(now).toISOString(), items, total_messages: items.reduce((n, r) => n + r.messages, 0) };
  }
}

import { sleep } from '@model-service/util';
import type { Channel } from 'amqplib';

/**
 * Matches the signals a signal bench receives to the tickers it sent, by trace id. `sent(traceId)` when a
 * ticker goes out; every signal consumed from the queue that `accept`s it and matches a ticker sent counts as
 * received, and from the first after `warmup` on is handed to `measure` with its milliseconds from send to
 * delivery. Not accepted signals count as `rejected`, accepted ones matching no ticker as `unmatched`.
 */
export class SignalTally<S extends { trace_id?: string }, A extends S = S> {
  received = 0;
  unmatched = 0;
  rejected = 0;
  private readonly sentAt = new Map<string, number>();

  constructor(
    private readonly warmup: number,
    private readonly measure: (signal: A, ms: number) => void,
    private readonly accept: (signal: S) => signal is A = (signal): signal is A => true,
  ) {}

  sent(traceId: string): void {
    this.sentAt.set(traceId, performance.now());
  }

  /** Consumes `queue` on `sub`, acking each signal after it is counted. */
  async consume(sub: Channel, queue: string): Promise<void> {
    await sub.consume(
      queue,
      (msg) => {
        if (!msg) return;
        const at = performance.now();
        const signal = JSON.parse(msg.content.toString('utf8')) as S;
        const t0 = this.sentAt.get(signal.trace_id ?? '');
        if (!this.accept(signal)) this.rejected++;
        else if (t0 === undefined) this.unmatched++;
        else {
          this.sentAt.delete(signal.trace_id ?? '');
          this.received++;
          if (this.received > this.warmup) this.measure(signal, at - t0);
        }
        sub.ack(msg);
      },
      { noAck: false },
    );
  }

  /** Waits for the last signals: until `total` are received or none has come for a second. */
  async waitForLast(total: number): Promise<void> {
    let last = -1;
    for (let quiet = 0; quiet < 20 && this.received < total; ) {
      await sleep(50);
      quiet = this.received === last ? quiet + 1 : 0;
      last = this.received;
    }
  }
}

import { deadLetterQueueName, isSharedQueue } from '@model-service/signals';
import { Logger } from '@model-service/util';
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Gauge } from 'prom-client';
import { randomUUID } from 'node:crypto';

import type { ConsumerOptions, ConsumerSpec, MessageHandler } from './consumer.types';
import { declareDeadLetterRoute, declareExchange, declareOwnedQueue, useSharedQueue, withTempChannel } from './declarations';
import { ManagedChannel } from './managed-channel';
import { MessagingMetrics } from './messaging-metrics';
import { QueueProcessor } from './queue-processor';
import { RabbitConnection } from './rabbit-connection';

interface Subscription {
  spec: ConsumerSpec;
  queue: string;
  prefetch: number;
  processor: QueueProcessor;
  managed: ManagedChannel;
  channel?: ConfirmChannel;
  consumerTag?: string;
  /** Tail of the one-at-a-time chain of an ordered subscription. */
  chain: Promise<void>;
  /** Whether the consumed queue dead-letters rejected messages to `<queue>.dlx` (known after setup). */
  brokerDeadLetter: boolean;
}

export const DEFAULT_STALL_AFTER_MS = 60_000;

/**
 * Consumes queues with manual ack and explicit prefetch, one channel per queue. Each message is
 * validated before the handler; invalid ones and ones whose handler keeps failing go to `<queue>.dlq`.
 */
export class Consumer {
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly wakers = new Set<() => void>();
  private readonly metrics: MessagingMetrics;
  private readonly log = new Logger('Consumer');
  /** Channels the broker or we closed: their unacked deliveries come back on the next channel. */
  private readonly closedChannels = new WeakSet<ConfirmChannel>();
  private stopping = false;
  private readonly stopSampling: () => void = () => undefined;

  constructor(
    private readonly connection: RabbitConnection,
    private readonly opts: ConsumerOptions = {},
  ) {
    this.metrics = new MessagingMetrics(opts.metrics);
    if (opts.metrics) {
      const depth = opts.metrics.sampledGauge('dead_letter_queue_messages', 'Messages waiting in the dead-letter queue of each queue consumed here (read from the broker at scrape)', ['queue']);
      this.stopSampling = depth.addSource((gauge) => this.sampleDeadLetterDepths(gauge));
    }
  }

  /** Starts consuming; resolves once the consumer is registered (or at once while the broker is unreachable). */
  async consume<T>(spec: ConsumerSpec, handler: MessageHandler<T>): Promise<void> {
    if (this.stopping) throw new Error('Consumer is stopped');
    if (!spec.queue) throw new Error('ConsumerSpec.queue is required');
    const prefetch = spec.prefetch ?? this.opts.defaultPrefetch ?? 50;
    if (!Number.isInteger(prefetch) || prefetch < 1) throw new Error(`prefetch must be a positive integer, got ${prefetch}`);
    const maxRetries = spec.maxRetries ?? this.opts.defaultMaxRetries ?? 3;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new Error(`maxRetries must be an integer >= 0, got ${maxRetries}`);
    // A fanout subscriber gets a private queue; the same name is re-declared after a reconnect.
    const queue = spec.fanoutExchange ? `${spec.queue}.${randomUUID().slice(0, 8)}` : spec.queue;
    const managed = new ManagedChannel(this.connection, `consumer:${spec.queue}`, (ch, model) => this.setup(sub, ch, model));
    const processor = new QueueProcessor(
      {
        queue,
        label: spec.queue,
        deadLetterQueue: deadLetterQueueName(spec.queue),
        maxRetries,
        retryDelayMs: spec.retryDelayMs ?? this.opts.defaultRetryDelayMs ?? 500,
        ordered: spec.ordered ?? false,
        decode: { schema: spec.schema, parse: spec.parse, maxBodyBytes: this.opts.maxBodyBytes },
        maxLoggedBodyBytes: this.opts.maxLoggedBodyBytes ?? 64 * 1024,
        stallAfterMs: this.opts.stallAfterMs ?? DEFAULT_STALL_AFTER_MS,
      },
      handler as MessageHandler<unknown>,
      {
        channel: managed,
        metrics: this.metrics,
        isStopping: () => this.stopping,
        pause: (ms) => this.pause(ms),
        hasBrokerDeadLetter: () => sub.brokerDeadLetter,
        isChannelOpen: (channel) => !this.closedChannels.has(channel),
      },
    );
    const sub: Subscription = { spec, queue, prefetch, processor, managed, chain: Promise.resolve(), brokerDeadLetter: false };
    this.subscriptions.push(sub);
    this.opts.health?.registerCheck(`consumer:${spec.queue}`, () => processor.progress());
    await managed.ready();
  }

  /** Stops consuming, waits for the handlers in flight (retry waits end early), then closes the channels. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopSampling();
    for (const wake of this.wakers) wake();
    await Promise.all(
      this.subscriptions.map(async (sub) => {
        if (!sub.channel || !sub.consumerTag) return;
        try {
          await sub.channel.cancel(sub.consumerTag);
        } catch {
          // channel already gone: nothing is delivered any more anyway
        }
      }),
    );
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await Promise.all(this.subscriptions.map((sub) => sub.managed.close()));
    this.log.info('consumer stopped', { queues: this.subscriptions.map((s) => s.spec.queue) });
  }

  /** Depth of each consumed queue's `<queue>.dlq` (passive check on a channel of its own); unknown ones are left out. */
  private async sampleDeadLetterDepths(gauge: Gauge<string>): Promise<void> {
    const queues = [...new Set(this.subscriptions.map((s) => deadLetterQueueName(s.spec.queue)))];
    const model = this.connection.current;
    for (const queue of queues) {
      try {
        if (!model) throw new Error('not connected');
        const { messageCount } = await withTempChannel(model, (ch) => ch.checkQueue(queue));
        gauge.set({ queue }, messageCount);
      } catch {
        gauge.remove({ queue });
      }
    }
  }

  private async setup(sub: Subscription, channel: ConfirmChannel, model: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const { spec } = sub;
    channel.once('close', () => this.closedChannels.add(channel));
    // docs/queues.md: a neighbour's queue is used as it exists; ours carry a broker dead-letter exchange.
    const shared = !spec.fanoutExchange && isSharedQueue(spec.queue);
    if (spec.fanoutExchange) {
      await declareExchange(model, spec.fanoutExchange, 'fanout', this.log);
      const exchange = spec.fanoutExchange;
      const dlx = await declareDeadLetterRoute(model, spec.queue, this.log);
      await withTempChannel(model, async (ch) => {
        await ch.assertQueue(sub.queue, { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-dead-letter-exchange': dlx } });
        await ch.bindQueue(sub.queue, exchange, '');
      });
      sub.brokerDeadLetter = true;
    } else if (shared) {
      sub.brokerDeadLetter = await useSharedQueue(model, sub.queue, this.log);
    } else {
      const args = spec.singleActiveConsumer ? { 'x-single-active-consumer': true } : {};
      sub.brokerDeadLetter = await declareOwnedQueue(model, sub.queue, args, this.log);
    }
    await channel.prefetch(sub.prefetch);
    // On a neighbour's queue, single-active consumption without touching its arguments: an exclusive consume.
    // A second replica is refused (403) and its channel is replaced after a backoff, so it takes over when the first goes.
    const exclusive = shared && (spec.singleActiveConsumer ?? false);
    const { consumerTag } = await channel.consume(sub.queue, (msg) => this.onDelivery(sub, channel, msg), {
      noAck: false,
      exclusive,
    });
    sub.channel = channel;
    sub.consumerTag = consumerTag;
    this.log.info('consuming', {
      queue: sub.queue,
      prefetch: sub.prefetch,
      ordered: spec.ordered ?? false,
      exclusive,
      broker_dead_letter: sub.brokerDeadLetter,
    });
  }

  private onDelivery(sub: Subscription, channel: ConfirmChannel, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer (queue deleted, node failover): open a new channel and set up again.
      this.log.warn('consumer cancelled by the broker; subscribing again', { queue: sub.queue });
      if (!this.stopping) sub.managed.reset();
      return;
    }
    let job: void | Promise<void>;
    if (sub.spec.ordered) {
      job = sub.chain = sub.chain.then(() => sub.processor.process(channel, msg));
    } else {
      job = sub.processor.process(channel, msg);
      if (!job) return; // finished synchronously: already acked
    }
    const tracked = job;
    this.inFlight.add(tracked);
    const done = (): void => void this.inFlight.delete(tracked);
    tracked.then(done, done);
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

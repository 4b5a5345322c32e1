import { backoffMs, Logger } from '@model-service/util';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ChannelModel, ConfirmChannel } from 'amqplib';

import { RabbitConnection } from './rabbit-connection';

/** Runs on every fresh channel (after connect, reconnect or replacement): declare, prefetch, consume. */
export type ChannelSetup = (channel: ConfirmChannel, model: ChannelModel) => Promise<void>;

function isExclusiveRefusal(err: Error): boolean {
  return (err as { code?: unknown }).code === 403 && /exclusive/i.test(err.message);
}

/** Consecutive failures older than this are forgotten when computing the replacement delay. */
const FAILURE_MEMORY_MS = 30_000;

/**
 * A confirm channel (amqp-connection-manager ChannelWrapper) that also survives channel-level errors.
 * The wrapper re-creates its channel only when the whole connection reconnects; when the broker closes
 * just the channel (404 publishing to a missing exchange, a consumer cancelled because its queue was
 * deleted) the wrapper would sit without a channel. Here such a wrapper is replaced by a fresh one;
 * closing the old one rejects its queued publishes, which the publisher retries on the new one.
 */
export class ManagedChannel {
  private wrapper: ChannelWrapper;
  private closed = false;
  private failures = 0;
  private lastFailureAt = 0;
  private replaceTimer?: NodeJS.Timeout;
  private readonly log = new Logger('ManagedChannel');

  constructor(
    private readonly connection: RabbitConnection,
    private readonly name: string,
    private readonly setup?: ChannelSetup,
  ) {
    this.wrapper = this.create();
  }

  get current(): ChannelWrapper {
    return this.wrapper;
  }

  /** Resolves when the channel is open and set up, or after timeoutMs; at once while disconnected. */
  async ready(timeoutMs = 10_000): Promise<void> {
    if (!this.connection.isConnected()) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.wrapper.waitForConnect(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  /** Throws the current channel away and opens a new one (setup runs again), after a backoff. */
  reset(): void {
    this.scheduleReplace(this.wrapper);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.replaceTimer);
    await this.wrapper.close().catch(() => undefined);
  }

  private create(): ChannelWrapper {
    const wrapper: ChannelWrapper = this.connection.manager.createChannel({
      name: this.name,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        const model = this.connection.current;
        // amqp-connection-manager attaches no 'error' listener to the amqplib channel: without one a
        // channel error would be an unhandled 'error' event and kill the process.
        channel.on('error', (err: Error) => this.onChannelError(wrapper, model, err));
        if (this.setup && model) await this.setup(channel, model);
      },
    });
    // amqp-connection-manager emits 'error' with a second argument when a setup failed, without one when its
    // publish worker threw (e.g. a header table too large to encode). Only the first needs a new channel:
    // replacing it for a failed publish would hand every unacked delivery back to the broker, again and again.
    wrapper.on('error', (err: Error, info?: unknown) => {
      if (this.closed) return;
      if (info === undefined) {
        this.log.warn('publish failed on channel; the channel is kept', { channel: this.name, error: err.message.slice(0, 500) });
        return;
      }
      // 403 on an exclusive consume: another replica is the active consumer; this one retries as a standby.
      if (isExclusiveRefusal(err)) this.log.debug('queue in exclusive use by another consumer; standing by', { channel: this.name });
      else this.log.warn('channel setup failed; will open a new channel', { channel: this.name, error: err.message });
      this.scheduleReplace(wrapper);
    });
    return wrapper;
  }

  private onChannelError(wrapper: ChannelWrapper, model: ChannelModel | undefined, err: Error): void {
    if (this.closed) return;
    const code = (err as { code?: unknown }).code;
    if (!isExclusiveRefusal(err)) this.log.warn('channel closed by broker', { channel: this.name, code, error: err.message });
    // If the whole connection went down, the wrapper recovers on reconnect by itself.
    setImmediate(() => {
      if (model && this.connection.current === model) this.scheduleReplace(wrapper);
    });
  }

  private scheduleReplace(wrapper: ChannelWrapper): void {
    if (this.closed || wrapper !== this.wrapper || this.replaceTimer) return;
    const now = Date.now();
    if (now - this.lastFailureAt > FAILURE_MEMORY_MS) this.failures = 0;
    this.failures++;
    this.lastFailureAt = now;
    this.replaceTimer = setTimeout(() => {
      this.replaceTimer = undefined;
      if (this.closed || wrapper !== this.wrapper) return;
      this.wrapper = this.create();
      wrapper.close().catch(() => undefined);
    }, backoffMs(this.failures, 100, 5_000));
  }
}

import { Publisher } from '@model-service/messaging';
import { PositionUpdateEvent, topology } from '@model-service/signals';
import { Logger } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';
import { ExitMetrics } from '../evaluation/exit-metrics';

const MAX_IN_FLIGHT = 1_000;
const MAX_REMEMBERED = 100_000;

/**
 * Republishes position changes on the model-service.position_events fanout exchange (signal-generator
 * replicas invalidate their position cache from it). A change is a new position, another size or
 * entry price, or a close; price-only moves are not republished. The body is the PositionUpdateEvent
 * as received. Publishes are confirmed but not awaited by the intake (at most MAX_IN_FLIGHT at once).
 */
@Injectable()
export class PositionEventsPublisher {
  private readonly exchange: string;
  private readonly lastSent = new Map<string, string>();
  private readonly inFlight = new Set<Promise<void>>();
  private declared?: Promise<void>;
  private readonly log = new Logger('PositionEventsPublisher');

  constructor(
    private readonly publisher: Publisher,
    private readonly metrics: ExitMetrics,
    env: ExitStrategyEnv,
  ) {
    this.exchange = topology(env.QUEUE_PREFIX).positionEventsExchange;
  }

  /** Declares the exchange; until that succeeds, republishing retries the declaration. */
  start(): Promise<void> {
    return this.ensureExchange().catch((err: unknown) => {
      this.log.warn('position events exchange not declared yet; will retry', {
        exchange: this.exchange,
        error: err instanceof Error ? err.message : String(err),
      });
    });
  }

  /** Republishes the update when it changes the position; resolves once there is room in flight. */
  async onUpdate(key: string, ev: PositionUpdateEvent): Promise<void> {
    const fingerprint = `${ev.position_id}|${ev.size}|${ev.average_entry_price}`;
    if (this.lastSent.get(key) === fingerprint) return;
    this.lastSent.delete(key);
    this.lastSent.set(key, fingerprint);
    if (this.lastSent.size > MAX_REMEMBERED) this.lastSent.delete(this.lastSent.keys().next().value as string);

    const job = this.send(key, fingerprint, ev).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
    if (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
  }

  /** Waits for the publishes in flight. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async send(key: string, fingerprint: string, ev: PositionUpdateEvent): Promise<void> {
    try {
      await this.ensureExchange();
      await this.publisher.publishToExchange(this.exchange, ev, { traceId: ev.trace_id ?? undefined });
    } catch (err) {
      this.metrics.failed('republish');
      if (this.lastSent.get(key) === fingerprint) this.lastSent.delete(key); // the next update tries again
      this.log.error('position event not republished', {
        exchange: this.exchange,
        position_id: ev.position_id,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private ensureExchange(): Promise<void> {
    if (!this.declared) {
      this.declared = this.publisher.assertFanout(this.exchange);
      this.declared.catch(() => (this.declared = undefined));
    }
    return this.declared;
  }
}

import { openSignalRoute, publishSignal, Publisher, SignalRecordWriter, SignalRoute, signalRouteOf } from '@model-service/messaging';
import { TradingSignalRepository } from '@model-service/repositories';
import { safeParse, topology, TradingSignal } from '@model-service/signals';
import { HealthRegistry, Logger, MetricsRegistry } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';

/**
 * Publishes an exit signal with broker confirms (the Publisher retries) once, to the signals fanout
 * exchange: the order manager's queue and our records queue both get it. `publish` throws only when the
 * broker never confirmed: the caller then must not count the signal as emitted. The record writer
 * (started here, a competing consumer of the records queue shared with signal-generator) stores it in
 * trading_signals and acks only after the commit, so a database outage or a kill -9 loses no record.
 */
@Injectable()
export class ExitSignalPublisher {
  private readonly route: SignalRoute;
  private readonly records: SignalRecordWriter;
  /** Settles once the route is declared and the record writer consumes (see openSignalRoute). */
  private routeOpen?: Promise<void>;
  private readonly log = new Logger('ExitSignalPublisher');

  constructor(
    private readonly publisher: Publisher,
    signals: TradingSignalRepository,
    env: ExitStrategyEnv,
    registry: MetricsRegistry,
    health: HealthRegistry,
  ) {
    this.route = signalRouteOf(topology(env.QUEUE_PREFIX).tradingSignals);
    this.records = new SignalRecordWriter({
      url: env.RABBITMQ_URL,
      name: `${env.MODEL_SERVICE_SERVICE_NAME ?? 'exit-strategy'}-records`,
      route: this.route,
      store: (signal, publishedAt) => signals.insert(signal, publishedAt),
      maxRetries: env.RABBITMQ_MAX_RETRIES,
      metrics: registry,
      health,
      stallAfterMs: env.RABBITMQ_CONSUMER_STALL_SECONDS * 1000,
    });
  }

  /** Declares the route and starts storing records in the background; the first publish waits for it. */
  start(): void {
    this.routeOpen = openSignalRoute(this.publisher, this.route, this.records, this.log);
  }

  stop(): Promise<void> {
    return this.records.stop();
  }

  async publish(signal: TradingSignal): Promise<void> {
    const checked = safeParse(TradingSignal, signal);
    if (!checked.ok) throw new Error(`exit signal breaks the TradingSignal contract: ${checked.error.message}`);
    if (!this.routeOpen) throw new Error('exit signal publisher not started');
    await this.routeOpen;
    await publishSignal(this.publisher, this.route, signal);
  }
}

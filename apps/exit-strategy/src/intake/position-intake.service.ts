import { positionKeyOf } from '@model-service/exit-rules';
import { PositionUpdateEvent } from '@model-service/signals';
import { CLOCK, Clock } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';
import { ExitEngine } from '../evaluation/exit-engine.service';
import { ExitMetrics } from '../evaluation/exit-metrics';
import { PositionEventsPublisher } from '../events/position-events.publisher';
import { snapshotFromUpdate } from './position-snapshot.mapper';
import { PendingUpdate, PushOutcome, UpdateDebouncer } from './update-debouncer';

/**
 * Where every position snapshot enters: queue messages (`receive`) and fallback rounds (`submit`).
 * Updates go through the per-position debouncer to the engine, so the queue and the fallback never
 * evaluate one position concurrently and an older state never follows a newer one.
 */
@Injectable()
export class PositionIntake {
  private readonly debouncer: UpdateDebouncer;
  private lastQueueUpdateAt: number;
  private readonly updateListeners: Array<() => void> = [];

  constructor(
    env: ExitStrategyEnv,
    engine: ExitEngine,
    private readonly events: PositionEventsPublisher,
    private readonly metrics: ExitMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.debouncer = new UpdateDebouncer(env.EXIT_STRATEGY_DEBOUNCE_MS, (key, update) => engine.process(key, update));
    this.lastQueueUpdateAt = clock.now();
  }

  /** Clock time of the last update taken off the queue (start-up time before the first). */
  get lastUpdateAt(): number {
    return this.lastQueueUpdateAt;
  }

  /** Called on every queue update (the fallback monitor notices recovery with it). */
  onQueueUpdate(listener: () => void): void {
    this.updateListeners.push(listener);
  }

  /** A validated position-manager.position_updated message. */
  async receive(ev: PositionUpdateEvent, traceId: string): Promise<void> {
    this.metrics.updatesReceived.inc();
    this.lastQueueUpdateAt = this.clock.now();
    for (const listener of this.updateListeners) listener();
    const snapshot = snapshotFromUpdate(ev);
    const key = positionKeyOf(snapshot);
    this.submit(key, { snapshot, traceId, source: 'queue', receivedAt: performance.now(), coalesced: 0 });
    await this.events.onUpdate(key, ev);
  }

  submit(key: string, update: PendingUpdate): PushOutcome {
    const outcome = this.debouncer.push(key, update);
    if (outcome === 'stale') this.metrics.skipped('older_than_pending');
    else if (outcome === 'coalesced') this.metrics.updatesCoalesced.inc();
    return outcome;
  }

  /** Evaluates everything pending now and waits for it (shutdown, tests). */
  flush(): Promise<void> {
    return this.debouncer.flushAll();
  }

  stop(): Promise<void> {
    return this.debouncer.stop();
  }
}

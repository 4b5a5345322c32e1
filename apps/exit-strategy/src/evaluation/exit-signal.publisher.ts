import { Publisher } from '@model-service/messaging';
import { TradingSignalRepository } from '@model-service/repositories';
import { safeParse, TradingSignal } from '@model-service/signals';
import { Logger, sleep } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { ExitStrategyEnv } from '../config/exit-strategy.env';
import { topologyOf } from '../config/exit-rules.settings';
import { ExitMetrics } from './exit-metrics';

const PERSIST_ATTEMPTS = 3;

/**
 * Publishes an exit signal with broker confirms (the Publisher retries), then stores it in
 * trading_signals. `publish` throws only when the broker never confirmed: the caller then must not
 * count the signal as emitted. A failed insert after a confirmed publish is logged and counted.
 */
@Injectable()
export class ExitSignalPublisher {
  private readonly queue: string;
  private readonly log = new Logger('ExitSignalPublisher');

  constructor(
    private readonly publisher: Publisher,
    private readonly signals: TradingSignalRepository,
    private readonly metrics: ExitMetrics,
    env: ExitStrategyEnv,
  ) {
    this.queue = topologyOf(env).tradingSignals;
  }

  async publish(signal: TradingSignal): Promise<void> {
    const checked = safeParse(TradingSignal, signal);
    if (!checked.ok) throw new Error(`exit signal breaks the TradingSignal contract: ${checked.error.message}`);
    await this.publisher.sendToQueue(this.queue, signal, { traceId: signal.trace_id, messageId: signal.signal_id });
    const publishedAt = new Date();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.signals.insert(signal, publishedAt);
        return;
      } catch (err) {
        if (attempt >= PERSIST_ATTEMPTS) {
          this.metrics.failed('persist_signal');
          this.log.error('exit signal published but not stored in trading_signals', {
            signal_id: signal.signal_id,
            error: err instanceof Error ? err.message : String(err),
          });
          return;
        }
        await sleep(100 * attempt);
      }
    }
  }
}

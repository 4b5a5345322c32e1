import { ExecutionEventInput, ExecutionEventRepository, TradingSignalRepository } from '@model-service/repositories';
import { OrderExecutionEvent } from '@model-service/signals';
import { Logger } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { TrainerEnv } from '../config/trainer.env';
import { TrainerMetrics } from '../health/trainer-metrics';
import { MicroBatcher } from './micro-batcher';
import { isPartialFill } from './partial-fill';

/** What one written batch contained (events new to the table only). */
export interface IntakeBatchResult {
  inserted: number;
  /** Events PostgreSQL refused one by one (batch index → error); the rest of the batch is stored. */
  rejected: ReadonlyMap<number, Error>;
  duplicates: number;
  unknownSignal: number;
  partialFills: number;
  /** New executions per strategy. */
  byStrategy: Map<string, number>;
}

export type IntakeListener = (result: IntakeBatchResult) => void;

/** Running totals since start (for /health and tests). */
export interface IntakeTotals {
  received: number;
  inserted: number;
  duplicates: number;
  unknownSignal: number;
  partialFills: number;
  batches: number;
}

/**
 * Execution intake: validated OrderExecutionEvents are buffered and written with one idempotent multi-row insert
 * per batch (every TRAINER_INTAKE_FLUSH_MS or TRAINER_INTAKE_BATCH_SIZE events). `accept` resolves after the
 * batch is committed, so the message is acknowledged only then. Partial fills and events whose signal is not
 * (yet) known are stored and counted, never dropped. An event whose row PostgreSQL refuses (a data error) fails
 * alone: the rest of its batch is stored and only its `accept` rejects, so only its message is dead-lettered.
 */
@Injectable()
export class ExecutionIntake {
  private readonly batcher: MicroBatcher<OrderExecutionEvent, IntakeBatchResult>;
  private readonly listeners: IntakeListener[] = [];
  private readonly log = new Logger('ExecutionIntake');
  readonly totals: IntakeTotals = { received: 0, inserted: 0, duplicates: 0, unknownSignal: 0, partialFills: 0, batches: 0 };

  constructor(
    private readonly executions: ExecutionEventRepository,
    private readonly signals: TradingSignalRepository,
    private readonly metrics: TrainerMetrics,
    private readonly env: TrainerEnv,
  ) {
    this.batcher = new MicroBatcher({
      maxItems: env.TRAINER_INTAKE_BATCH_SIZE,
      maxDelayMs: env.TRAINER_INTAKE_FLUSH_MS,
      flush: (events) => this.write(events),
      rejectedOf: (result) => result.rejected,
    });
  }

  /** Called after every written batch that stored something (data-threshold trigger). */
  onStored(listener: IntakeListener): void {
    this.listeners.push(listener);
  }

  async accept(event: OrderExecutionEvent): Promise<void> {
    this.totals.received++;
    await this.batcher.add(event);
  }

  /** Writes what is buffered and stops accepting (shutdown). */
  close(): Promise<void> {
    return this.batcher.close();
  }

  private async write(events: OrderExecutionEvent[]): Promise<IntakeBatchResult> {
    const started = process.hrtime.bigint();
    try {
      const known = await this.signals.facts(events.map((e) => e.signal_id));
      const inputs: ExecutionEventInput[] = events.map((e) => ({
        ...e,
        is_partial_fill: isPartialFill(e, known.get(e.signal_id), this.env.TRAINER_PARTIAL_FILL_TOLERANCE),
      }));
      const { inserted, duplicates, insertedEventIds, rejected } = await this.executions.insertBatchIsolatingRejects(inputs);
      const fresh = new Set(insertedEventIds);
      const result: IntakeBatchResult = { inserted, rejected, duplicates, unknownSignal: 0, partialFills: 0, byStrategy: new Map() };
      for (const [index, err] of rejected) {
        this.metrics.executionsRejected.inc();
        this.log.warn('execution event refused by PostgreSQL; only its message is dead-lettered', {
          event_id: String(events[index]?.event_id).slice(0, 128),
          error: err.message,
        });
      }
      for (const input of inputs) {
        if (!fresh.delete(input.event_id)) continue; // a duplicate, or a repeat within the batch
        if (!input.signal_id || !known.has(input.signal_id)) result.unknownSignal++;
        if (input.is_partial_fill) result.partialFills++;
        result.byStrategy.set(input.strategy_id, (result.byStrategy.get(input.strategy_id) ?? 0) + 1);
        this.metrics.executionsStored.inc({ strategy_id: input.strategy_id });
      }
      this.record(result, events.length, started);
      return result;
    } catch (err) {
      this.metrics.intakeFlushFailures.inc();
      this.log.error('execution batch could not be stored; its messages will be retried', {
        events: events.length,
        error: err instanceof Error ? err.message : String(err),
      });
      throw err;
    }
  }

  private record(result: IntakeBatchResult, size: number, started: bigint): void {
    const t = this.totals;
    t.batches++;
    t.inserted += result.inserted;
    t.duplicates += result.duplicates;
    t.unknownSignal += result.unknownSignal;
    t.partialFills += result.partialFills;
    this.metrics.intakeBatchRows.observe(size);
    this.metrics.intakeFlushSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (result.duplicates) this.metrics.executionsDuplicate.inc(result.duplicates);
    if (result.unknownSignal) this.metrics.executionsUnknownSignal.inc(result.unknownSignal);
    if (result.partialFills) this.metrics.executionsPartialFill.inc(result.partialFills);
    if (result.unknownSignal || result.partialFills) {
      this.log.info('executions stored', {
        inserted: result.inserted,
        duplicates: result.duplicates,
        unknown_signal: result.unknownSignal,
        partial_fills: result.partialFills,
      });
    }
    if (result.inserted === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(result);
      } catch (err) {
        this.log.error('intake listener failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}

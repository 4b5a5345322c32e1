import type { PositionState } from '@model-service/exit-rules';
import { PositionStateRepository } from '@model-service/repositories';
import { Logger } from '@model-service/util';
import { Injectable } from '@nestjs/common';

import { ExitMetrics } from '../evaluation/exit-metrics';
import { fromStateRow, toStateRow } from './position-state.mapper';

type StateOp = { kind: 'save'; state: PositionState } | { kind: 'delete' };

/** Rows per upsert statement, and statements in flight at once. */
const MAX_BATCH = 500;
const MAX_BATCHES_IN_FLIGHT = 2;
const RETRY_DELAY_MS = 1_000;

/**
 * position_states behind a write-behind queue: `save`/`delete` return at once; only the newest
 * pending change of a position is written (a burst of peak changes costs one row write), a position
 * is never in two writes at once, and pending saves go out as multi-row upserts (one statement for
 * up to MAX_BATCH positions through PositionStateRepository.upsertMany: a single-row upsert costs
 * ~15× the CPU per row, which a write per peak change would spend). A failed write is retried
 * unless a newer change replaced it. `flush` waits until everything is written.
 */
@Injectable()
export class PositionStateStore {
  private readonly pending = new Map<string, StateOp>();
  private readonly inFlight = new Set<string>();
  private readonly deleting = new Set<string>();
  private batchesInFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private retryTimer?: NodeJS.Timeout;
  private readonly log = new Logger('PositionStateStore');

  constructor(
    private readonly repo: PositionStateRepository,
    private readonly metrics: ExitMetrics,
  ) {}

  async loadAll(): Promise<PositionState[]> {
    return (await this.repo.all()).map(fromStateRow);
  }

  save(state: PositionState): void {
    this.enqueue(state.position_key, { kind: 'save', state });
  }

  delete(positionKey: string): void {
    this.enqueue(positionKey, { kind: 'delete' });
  }

  /** True while a delete of this position is waiting or being written (a restore must not bring it back). */
  isDeleting(positionKey: string): boolean {
    return this.pending.get(positionKey)?.kind === 'delete' || this.deleting.has(positionKey);
  }

  /** Changes not yet written. */
  get backlog(): number {
    return this.pending.size + this.inFlight.size;
  }

  /** Resolves true once every change so far is written, false after timeoutMs. */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    if (this.backlog === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([idle, late]);
    clearTimeout(timer);
    if (!done) this.log.error('position states not written before the timeout', { backlog: this.backlog });
    return done;
  }

  private enqueue(key: string, op: StateOp): void {
    this.pending.set(key, op);
    this.kick();
  }

  private kick(): void {
    while (this.batchesInFlight < MAX_BATCHES_IN_FLIGHT) {
      const batch = new Map<string, StateOp>();
      for (const [key, op] of this.pending) {
        if (this.inFlight.has(key)) continue;
        batch.set(key, op);
        if (batch.size >= MAX_BATCH) break;
      }
      if (batch.size === 0) break;
      for (const key of batch.keys()) {
        this.pending.delete(key);
        this.inFlight.add(key);
      }
      this.batchesInFlight++;
      void this.write(batch);
    }
    if (this.backlog === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async write(batch: Map<string, StateOp>): Promise<void> {
    const saves: PositionState[] = [];
    const deletes: string[] = [];
    for (const [key, op] of batch) {
      if (op.kind === 'save') saves.push(op.state);
      else {
        deletes.push(key);
        this.deleting.add(key);
      }
    }
    let failed = false;
    try {
      if (saves.length > 0) {
        await this.repo.upsertMany(saves.map(toStateRow));
        this.metrics.stateWrites.inc({ op: 'save' }, saves.length);
      }
      for (const key of deletes) {
        await this.repo.delete(key);
        this.metrics.stateWrites.inc({ op: 'delete' });
      }
    } catch (err) {
      failed = true;
      this.metrics.failed('persist_state');
      this.log.error('could not write position states; will retry', {
        positions: batch.size,
        error: err instanceof Error ? err.message : String(err),
      });
      for (const [key, op] of batch) if (!this.pending.has(key)) this.pending.set(key, op);
    } finally {
      for (const key of batch.keys()) this.inFlight.delete(key);
      for (const key of deletes) this.deleting.delete(key);
      this.batchesInFlight--;
      if (failed) this.retryLater();
      else this.kick();
    }
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, RETRY_DELAY_MS);
  }
}

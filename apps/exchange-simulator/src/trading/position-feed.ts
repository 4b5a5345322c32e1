import { Logger, newTraceId } from '@model-service/util';

import { ReliablePublisher } from '../messaging/reliable-publisher';
import { AccountStore } from './account-store';
import { positionUpdate } from './event-builders';
import { LedgerPosition, positionKey } from './ledger';

/**
 * Publishes PositionUpdateEvents the way position-manager does: on every fill at once, and on price
 * moves of open positions at most once per `intervalMs` of wall time per position (the mark is stored
 * in `positions` at the same moment). Timestamps are simulated time.
 */
export class PositionFeed {
  private readonly rowIds = new Map<string, string>();
  private readonly lastSent = new Map<string, number>();
  private readonly log = new Logger('PositionFeed');

  constructor(
    private readonly store: AccountStore,
    private readonly publisher: ReliablePublisher,
    private readonly queue: string,
    private readonly intervalMs: number,
    private readonly wallNow: () => number = Date.now,
  ) {}

  rowIdOf(p: Pick<LedgerPosition, 'asset' | 'strategyId'>): string | undefined {
    return this.rowIds.get(positionKey(p.asset, p.strategyId));
  }

  remember(p: Pick<LedgerPosition, 'asset' | 'strategyId'>, rowId: string): void {
    this.rowIds.set(positionKey(p.asset, p.strategyId), rowId);
  }

  /** After a fill (already stored): publish the position as it is now. */
  async onFill(p: LedgerPosition, rowId: string, at: number, traceId: string): Promise<void> {
    const key = positionKey(p.asset, p.strategyId);
    this.rowIds.set(key, rowId);
    this.lastSent.set(key, this.wallNow());
    await this.publisher.publish(this.queue, positionUpdate(rowId, p, at, traceId), traceId);
  }

  /** After a price move: store and publish the marks of the positions that are due. */
  async onMarks(positions: LedgerPosition[], at: number): Promise<void> {
    const now = this.wallNow();
    const due = positions.filter((p) => now - (this.lastSent.get(positionKey(p.asset, p.strategyId)) ?? -Infinity) >= this.intervalMs);
    await Promise.all(
      due.map(async (p) => {
        const key = positionKey(p.asset, p.strategyId);
        this.lastSent.set(key, now);
        try {
          const rowId = await this.store.saveMark(p);
          this.rowIds.set(key, rowId);
          const traceId = newTraceId();
          await this.publisher.publish(this.queue, positionUpdate(rowId, p, at, traceId), traceId);
        } catch (err) {
          this.log.warn('position mark not stored', { asset: p.asset, strategy_id: p.strategyId, error: err instanceof Error ? err.message : String(err) });
        }
      }),
    );
  }
}

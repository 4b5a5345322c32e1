import { Logger } from '@model-service/util';

import { AssetSelection, AssetSelector } from './asset-selector';

/**
 * Re-reads the automatic asset selection once per TTL (every second while a held coin still waits for
 * its first price) and hands each result to `apply`; a failing refresh is logged and retried next time.
 */
export class AssetSelectionRefresher {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly log = new Logger('AssetSelectionRefresher');

  constructor(
    private readonly selector: AssetSelector,
    private readonly ttlMs: number,
    private readonly apply: (selection: AssetSelection) => void,
  ) {}

  /** Applies the first selection before it resolves, then keeps refreshing in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async refresh(): Promise<void> {
    let next = this.ttlMs;
    try {
      const selection = await this.selector.current();
      if (this.stopped) return;
      this.apply(selection);
      if (selection.awaitingPrice.length > 0) next = Math.min(this.ttlMs, 1_000);
    } catch (err) {
      this.log.error('asset selection refresh failed', { error: err instanceof Error ? err : String(err) });
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh(), next);
  }
}

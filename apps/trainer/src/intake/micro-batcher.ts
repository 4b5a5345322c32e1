export interface MicroBatcherOptions<T, R> {
  /** A batch is written as soon as it holds this many items. */
  maxItems: number;
  /** ...or this long after its first item arrived. */
  maxDelayMs: number;
  /** Writes one batch; its result (or error) settles every item of the batch. */
  flush(items: T[]): Promise<R>;
  /**
   * Items of a written batch that were refused one by one (index → error): those items' `add` rejects with
   * their error, the others resolve with the result.
   */
  rejectedOf?(result: R): ReadonlyMap<number, unknown> | undefined;
}

interface Entry<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Collects items into batches and writes them one batch at a time (never two flushes in parallel, so two
 * batches cannot lock the same rows in opposite orders). `add` resolves once the item's batch is written,
 * e.g. to acknowledge a message only after its row is committed.
 */
export class MicroBatcher<T, R> {
  private queue: Entry<T, R>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: MicroBatcherOptions<T, R>) {
    if (!Number.isInteger(opts.maxItems) || opts.maxItems < 1) throw new RangeError(`maxItems must be a positive integer, got ${opts.maxItems}`);
    if (!(opts.maxDelayMs >= 0)) throw new RangeError(`maxDelayMs must be >= 0, got ${opts.maxDelayMs}`);
  }

  /** Items waiting for their batch to be written (not counting a batch being written). */
  get pending(): number {
    return this.queue.length;
  }

  add(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('MicroBatcher is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.opts.maxItems) this.cut();
      else if (!this.timer) this.timer = setTimeout(() => this.cut(), this.opts.maxDelayMs);
    });
  }

  /** Writes whatever is waiting now; resolves when every batch cut so far is written. */
  flushNow(): Promise<void> {
    if (this.queue.length > 0) this.cut();
    return this.chain;
  }

  /** Writes what is waiting, then refuses new items. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushNow();
  }

  private cut(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxItems);
      this.chain = this.chain.then(() => this.write(batch));
    }
  }

  private async write(batch: Entry<T, R>[]): Promise<void> {
    try {
      const result = await this.opts.flush(batch.map((e) => e.item));
      const rejected = this.opts.rejectedOf?.(result);
      batch.forEach((e, i) => {
        if (rejected?.has(i)) e.reject(rejected.get(i));
        else e.resolve(result);
      });
    } catch (err) {
      for (const e of batch) e.reject(err);
    }
  }
}

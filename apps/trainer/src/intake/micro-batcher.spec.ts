import { MicroBatcher } from './micro-batcher';

function recorder(delayMs = 0, fail?: (items: number[]) => boolean) {
  const batches: number[][] = [];
  let active = 0;
  let maxActive = 0;
  const flush = async (items: number[]): Promise<number> => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((r) => setTimeout(r, delayMs));
    active--;
    if (fail?.(items)) throw new Error(`batch ${items.join(',')} failed`);
    batches.push(items);
    return items.length;
  };
  return { batches, flush, maxActive: () => maxActive };
}

describe('MicroBatcher', () => {
  it('writes a full batch at once, without waiting for the delay', async () => {
    const r = recorder();
    const b = new MicroBatcher({ maxItems: 3, maxDelayMs: 60_000, flush: r.flush });
    const started = Date.now();
    const results = await Promise.all([1, 2, 3].map((i) => b.add(i)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.batches).toEqual([[1, 2, 3]]);
    expect(results).toEqual([3, 3, 3]);
  });

  it.each([
    [1, 5],
    [10, 5],
    [30, 50],
  ])('with maxDelayMs %i, a lone item is written within about that long (checked < %i + 150 ms)', async (delay, bound) => {
    const r = recorder();
    const b = new MicroBatcher({ maxItems: 100, maxDelayMs: delay, flush: r.flush });
    const started = Date.now();
    await b.add(7);
    expect(Date.now() - started).toBeLessThan(bound + 150);
    expect(r.batches).toEqual([[7]]);
  });

  it('splits a burst into batches of maxItems and never runs two flushes at once', async () => {
    const r = recorder(5);
    const b = new MicroBatcher({ maxItems: 4, maxDelayMs: 5, flush: r.flush });
    await Promise.all(Array.from({ length: 10 }, (_, i) => b.add(i)));
    expect(r.batches.map((x) => x.length)).toEqual([4, 4, 2]);
    expect(r.batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.maxActive()).toBe(1);
  });

  it('a failed batch rejects only its own items; the next batch is still written', async () => {
    const r = recorder(0, (items) => items.includes(2));
    const b = new MicroBatcher({ maxItems: 2, maxDelayMs: 1, flush: r.flush });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => b.add(i)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(r.batches).toEqual([[3, 4]]);
  });

  it('rejects only the items the batch refused one by one; the others resolve', async () => {
    const b = new MicroBatcher({
      maxItems: 4,
      maxDelayMs: 60_000,
      flush: async (items: number[]) => ({ stored: items.filter((i) => i !== 3).length, bad: new Map([[2, new Error('item 3 refused')]]) }),
      rejectedOf: (result) => result.bad,
    });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => b.add(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason).toEqual(new Error('item 3 refused'));
    expect((settled[0] as PromiseFulfilledResult<{ stored: number }>).value.stored).toBe(3);
  });

  it('close() writes what waits and refuses new items', async () => {
    const r = recorder();
    const b = new MicroBatcher({ maxItems: 100, maxDelayMs: 60_000, flush: r.flush });
    const pending = b.add(1);
    expect(b.pending).toBe(1);
    await b.close();
    await expect(pending).resolves.toBe(1);
    await expect(b.add(2)).rejects.toThrow('closed');
  });

  it.each([0, -1, 1.5])('refuses maxItems %d', (maxItems) => {
    expect(() => new MicroBatcher({ maxItems, maxDelayMs: 1, flush: async () => 0 })).toThrow(RangeError);
  });
});

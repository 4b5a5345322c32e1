import { MetricsRegistry } from './metrics.registry';

describe('MetricsRegistry.sampledGauge', () => {
  it('asks every source at each scrape; a source that hangs or fails does not hold up the others', async () => {
    const metrics = new MetricsRegistry();
    const depth = metrics.sampledGauge('queue_depth', 'Depth', ['queue'], 20);
    let n = 0;
    depth.addSource(async (g) => void g.set({ queue: 'a' }, ++n));
    depth.addSource(() => new Promise<void>(() => undefined)); // never answers
    depth.addSource(() => Promise.reject(new Error('broker away')));
    expect(await metrics.text()).toContain('model_service_queue_depth{queue="a"} 1');
    expect(await metrics.text()).toContain('model_service_queue_depth{queue="a"} 2');
  });

  it('is one gauge per name, shared by its sources; a removed source is no longer asked', async () => {
    const metrics = new MetricsRegistry();
    const calls: string[] = [];
    const remove = metrics.sampledGauge('q', 'Q', ['queue']).addSource(async (g) => void (calls.push('first'), g.set({ queue: 'x' }, 1)));
    metrics.sampledGauge('q', 'Q', ['queue']).addSource(async (g) => void (calls.push('second'), g.set({ queue: 'y' }, 2)));
    const text = await metrics.text();
    expect(text).toContain('model_service_q{queue="x"} 1');
    expect(text).toContain('model_service_q{queue="y"} 2');
    remove();
    await metrics.text();
    expect(calls).toEqual(['first', 'second', 'second']);
  });
});

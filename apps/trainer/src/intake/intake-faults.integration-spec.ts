import { queueDepth } from '@model-service/messaging/testing';
import { ExecutionEventEntity } from '@model-service/repositories/testing';
import { deadLetterQueueName } from '@model-service/signals';
import { exampleExecutionEvent } from '@model-service/signals/testing';
import { TcpProxy } from '@model-service/util/testing';

import { RABBIT_URL, TrainerWorld } from '../testing/trainer-harness.testing';

/**
 * The chaos suite's database cut and broker connection close, CI-sized: the trainer reaches PostgreSQL and
 * RabbitMQ through TCP proxies this spec controls (the shared servers keep serving everyone else), while
 * execution events keep arriving. Nothing may be lost or dead-lettered, and /health tells the truth.
 */
describe('trainer intake under faults (TCP proxies)', () => {
  let world: TrainerWorld;
  let pg: TcpProxy;
  let amqp: TcpProxy;

  beforeAll(async () => {
    world = await TrainerWorld.create();
    const dbUrl = new URL(world.db.url);
    const mqUrl = new URL(RABBIT_URL);
    pg = await TcpProxy.start({ targetHost: dbUrl.hostname, targetPort: Number(dbUrl.port || 5432) });
    amqp = await TcpProxy.start({ targetHost: mqUrl.hostname, targetPort: Number(mqUrl.port || 5672) });
    await world.start({ MODEL_SERVICE_LOG_LEVEL: 'error', DATABASE_URL: pg.rewrite(world.db.url), RABBITMQ_URL: amqp.rewrite(RABBIT_URL) });
  }, 60_000);

  afterAll(async () => {
    await world?.destroy();
    await pg?.close();
    await amqp?.close();
  });

  const stored = (strategyId: string): Promise<number> => world.db.dataSource.getRepository(ExecutionEventEntity).count({ where: { strategyId } });
  /** The DLQ is declared by the consumer's set-up, which may still be under way when a test starts. */
  const dlqDepth = (): Promise<number> => queueDepth(RABBIT_URL, deadLetterQueueName(world.topology.orderEvents)).catch(() => 0);
  const healthy = async (): Promise<boolean> => (await world.health())['status'] === 'ok';
  async function until(what: string, predicate: () => Promise<boolean>, timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (!(await predicate())) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return Date.now() - started;
  }

  it('PostgreSQL cut for 5 s while events arrive: health degraded during, ok after, every event stored once, none dead-lettered', async () => {
    const dlqBefore = await dlqDepth();
    const events = Array.from({ length: 300 }, (_, i) => exampleExecutionEvent({ event_id: `cut-${i}`, strategy_id: 'faults_db' }));
    await world.publish(world.topology.orderEvents, events.slice(0, 100));
    await until('the first 100 stored', async () => (await stored('faults_db')) === 100, 20_000);

    pg.cut();
    await world.publish(world.topology.orderEvents, events.slice(100, 200));
    await until('health degraded', async () => !(await healthy()), 15_000);
    await world.publish(world.topology.orderEvents, events.slice(200));
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await stored('faults_db')).toBe(100);
    pg.restore();

    const recovered = await until('health ok again', healthy, 30_000);
    await until('all 300 stored', async () => (await stored('faults_db')) === 300, 30_000);
    expect(recovered).toBeLessThan(10_000);
    expect(await dlqDepth()).toBe(dlqBefore);
    expect(await queueDepth(RABBIT_URL, world.topology.orderEvents)).toBe(0);
  }, 60_000);

  it('broker connections closed under it: the consumer reconnects, nothing is lost or dead-lettered', async () => {
    const dlqBefore = await dlqDepth();
    const events = Array.from({ length: 200 }, (_, i) => exampleExecutionEvent({ event_id: `close-${i}`, strategy_id: 'faults_mq' }));
    await world.publish(world.topology.orderEvents, events.slice(0, 100));
    expect(amqp.dropConnections()).toBeGreaterThan(0);
    await world.publish(world.topology.orderEvents, events.slice(100));
    const reconnected = await until('all 200 stored after the close', async () => (await stored('faults_mq')) === 200, 30_000);
    await until('health ok', healthy, 15_000);
    expect(await dlqDepth()).toBe(dlqBefore);
    console.log(`trainer consumer: 200 events stored ${reconnected} ms after its broker connections were closed`);
  }, 60_000);
});

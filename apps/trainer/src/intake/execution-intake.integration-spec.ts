import { randomUUID } from 'node:crypto';

import { queueDepth, takeAll } from '@model-service/messaging/testing';
import { ExecutionEventEntity } from '@model-service/repositories/testing';
import { deadLetterQueueName, OrderExecutionEvent } from '@model-service/signals';
import { exampleExecutionEvent, exampleExecutionForSignal, exampleTradingSignal } from '@model-service/signals/testing';

import { RABBIT_URL, TrainerWorld } from '../testing/trainer-harness.testing';
import { seedHistory } from '../testing/synthetic-history.testing';
import { ExecutionIntake } from './execution-intake.service';

const TOTAL = 10_000;
const INVALID = 500; // 5 %
const DUPLICATES = 500; // 5 %
const VALID = TOTAL - INVALID - DUPLICATES;

/** Eight ways a neighbour can get an execution event wrong; each is dead-lettered. */
function invalidBody(i: number): string {
  const e = exampleExecutionEvent({ event_id: `bad-${i}` }) as unknown as Record<string, unknown>;
  switch (i % 8) {
    case 0:
      return '{"event_id": "truncated';
    case 1:
      delete e['execution_price'];
      break;
    case 2:
      e['execution_price'] = -5;
      break;
    case 3:
      e['signal_id'] = 'not-a-uuid';
      break;
    case 4:
      e['side'] = 'hold';
      break;
    case 5:
      e['executed_at'] = 'yesterday';
      break;
    case 6:
      e['market_conditions'] = null;
      break;
    default:
      return JSON.stringify([e]);
  }
  return JSON.stringify(e);
}

describe('trainer execution intake (order-manager.order_events)', () => {
  const world = TrainerWorld.perDescribe({ MODEL_SERVICE_LOG_LEVEL: 'error' });

  const stored = (): Promise<number> => world.db.dataSource.getRepository(ExecutionEventEntity).count();

  it('stores exactly the valid unique events of 10,000 (5 % invalid → DLQ, 5 % redelivered), counting partial fills and unknown signals', async () => {
    // 60 % of the valid events belong to signals we know; a sixth of those are partial fills.
    const known = Array.from({ length: Math.round(VALID * 0.6) }, () => exampleTradingSignal({ strategy_id: 'intake_s' }));
    await seedHistory(world.db.dataSource, { signals: known }, false);
    const valid: OrderExecutionEvent[] = [];
    let partial = 0;
    for (let i = 0; i < VALID; i++) {
      if (i < known.length) {
        const signal = known[i];
        const half = i % 6 === 0;
        if (half) partial++;
        const quantity = (signal.amount / signal.market_data_snapshot.price) * (half ? 0.5 : 1);
        valid.push(exampleExecutionForSignal(signal, { event_id: `ok-${i}`, execution_quantity: quantity }));
      } else {
        valid.push(exampleExecutionEvent({ event_id: `ok-${i}`, strategy_id: 'intake_s', signal_id: randomUUID() }));
      }
    }
    const unknown = VALID - known.length;
    const bodies: string[] = valid.map((e) => JSON.stringify(e));
    for (let i = 0; i < DUPLICATES; i++) bodies.splice(((i * 7919) % bodies.length) + 1, 0, JSON.stringify(valid[(i * 13) % VALID]));
    const invalid = Array.from({ length: INVALID }, (_, i) => invalidBody(i));
    for (let i = 0; i < INVALID; i++) bodies.splice((i * 104_729) % bodies.length, 0, invalid[i]);
    expect(bodies).toHaveLength(TOTAL);

    const started = Date.now();
    await world.publish(world.topology.orderEvents, bodies);
    const published = Date.now() - started;
    const deadline = Date.now() + 60_000;
    while ((await stored()) < VALID || (await queueDepth(RABBIT_URL, deadLetterQueueName(world.topology.orderEvents))) < INVALID) {
      if (Date.now() > deadline) throw new Error(`only ${await stored()} stored`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = Date.now() - started;

    const rows = await world.db.dataSource.getRepository(ExecutionEventEntity).find({ select: { eventId: true, isPartialFill: true } });
    expect(rows).toHaveLength(VALID);
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(valid.map((e) => e.event_id)));
    expect(rows.filter((r) => r.isPartialFill)).toHaveLength(partial);

    const dead = await takeAll(RABBIT_URL, deadLetterQueueName(world.topology.orderEvents));
    expect(dead).toHaveLength(INVALID);
    expect(new Set(dead.map((m) => m.body.toString()))).toEqual(new Set(invalid));

    const intake = world.get(ExecutionIntake);
    await new Promise((r) => setTimeout(r, 300)); // the last duplicates may still be in a batch
    expect(intake.totals).toMatchObject({ inserted: VALID, duplicates: DUPLICATES, unknownSignal: unknown, partialFills: partial });
    expect(await queueDepth(RABBIT_URL, world.topology.orderEvents)).toBe(0);
    console.log(`intake: ${TOTAL} messages published in ${published} ms, all handled after ${elapsed} ms, ${intake.totals.batches} batches`);
  }, 120_000);

  it('an event is stored (part of the training pipeline) well within 1 s of its publication', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const event = exampleExecutionEvent({ strategy_id: 'intake_latency' });
      const t0 = Date.now();
      await world.publish(world.topology.orderEvents, [event]);
      for (;;) {
        const found = await world.db.dataSource.getRepository(ExecutionEventEntity).count({ where: { eventId: event.event_id } });
        if (found) break;
        if (Date.now() - t0 > 5_000) throw new Error('not stored within 5 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(Date.now() - t0);
    }
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });
  it('a row PostgreSQL refuses costs only its own message: the rest of its batch is stored, it alone is dead-lettered', async () => {
    const valid = Array.from({ length: 200 }, (_, i) => exampleExecutionEvent({ event_id: `iso-${i}`, strategy_id: 'intake_iso' }));
    valid.push(exampleExecutionEvent({ event_id: 'L'.repeat(128), strategy_id: 'intake_iso' })); // the longest id the contract allows
    // Passes the contract, but PostgreSQL text cannot hold a NUL byte (22021): refused inside the batch.
    const refused = JSON.stringify(exampleExecutionEvent({ event_id: 'iso-refused', strategy_id: 'intake\u0000iso' }));
    const bodies: string[] = valid.map((e) => JSON.stringify(e));
    bodies.splice(100, 0, refused);
    const dlq = deadLetterQueueName(world.topology.orderEvents);
    const before = await stored();
    await world.publish(world.topology.orderEvents, bodies);

    const deadline = Date.now() + 30_000;
    while ((await stored()) < before + valid.length || (await queueDepth(RABBIT_URL, dlq)) < 1) {
      if (Date.now() > deadline) throw new Error(`only ${(await stored()) - before} of ${valid.length} stored`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500)); // nothing else may follow into the DLQ
    const dead = await takeAll(RABBIT_URL, dlq);
    expect(dead.map((m) => m.body.toString())).toEqual([refused]);
    expect(String(dead[0]?.headers['x-death-reason'])).toMatch(/iso-refused/);
    const rows = await world.db.dataSource.getRepository(ExecutionEventEntity).find({ where: { strategyId: 'intake_iso' } });
    expect(new Set(rows.map((r) => r.eventId))).toEqual(new Set(valid.map((e) => e.event_id)));
    expect(await queueDepth(RABBIT_URL, world.topology.orderEvents)).toBe(0);
  }, 60_000);
});

import { sleep } from '@model-service/util';
import { examplePositionUpdate, exampleExecutionEvent, exampleTrainingCommand, exampleBybitTicker, exampleBybitOrderbook, exampleBybitKline } from '@model-service/signals/testing';

import { DemoApp } from '@model-service/demo';
import { Fuzzer } from './fuzz';
import { ArmedTrailingStop, armedTrailingStops, ChaosStack, depths, lossFigures, LossFigures, OUR_APPS, publishBodies, rabbitmqctl, trailingStopsLost } from './stack';

export interface ScenarioResult {
  name: string;
  ok: boolean;
  detail: string;
  figures: Record<string, number | boolean | Record<string, number>>;
}

const HEALTHY_WITHIN_MS = 10_000;

/** Polls every app's /health until all answer 200; ms it took, or -1 after timeoutMs. */
export async function untilHealthy(stack: ChaosStack, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const codes = await Promise.all(OUR_APPS.map((a) => stack.status(a)));
    if (codes.every((c) => c === 200)) return Date.now() - started;
    await sleep(250);
  }
  return -1;
}

/** Waits until the loop has settled (no pending orders, every fill stored) or timeoutMs; returns the figures then. */
export async function settle(stack: ChaosStack, timeoutMs: number): Promise<LossFigures> {
  const deadline = Date.now() + timeoutMs;
  let figures = await lossFigures(stack.databaseUrl);
  while (Date.now() < deadline && (figures.executionsNotStored > 0 || figures.signalRecordsMissing > 0 || figures.pendingOrders > 0)) {
    await sleep(1_000);
    figures = await lossFigures(stack.databaseUrl);
  }
  return figures;
}

function validExample(queueBase: string): Record<string, unknown> {
  const byQueue: Record<string, () => object> = {
    'ws-gateway.ticker': () => exampleBybitTicker(),
    'ws-gateway.orderbook': () => exampleBybitOrderbook(),
    'ws-gateway.kline': () => exampleBybitKline(),
    'order-manager.order_events': () => exampleExecutionEvent(),
    'position-manager.position_updated': () => examplePositionUpdate(),
    'model-service.training_commands': () => exampleTrainingCommand(),
  };
  const make = Object.entries(byQueue).find(([base]) => queueBase.endsWith(base))?.[1];
  return (make ? make() : {}) as Record<string, unknown>;
}

/**
 * poison: `perQueue` fuzzed messages to every consumed queue while the simulator's valid traffic flows.
 * Each must land in the queue's DLQ exactly once; no app may exit; every app healthy afterwards.
 */
export async function poison(stack: ChaosStack, perQueue: number): Promise<ScenarioResult> {
  const queues = stack.consumedQueues();
  const dlqs = queues.map((q) => `${q}.dlq`);
  const before = await depths(stack.rabbitUrl, dlqs);
  const fuzzer = new Fuzzer(7, 2);
  const started = Date.now();
  for (const q of queues) {
    const valid = validExample(q);
    await publishBodies(stack.rabbitUrl, q, (function* () {
      for (let i = 0; i < perQueue; i++) yield fuzzer.body(i, valid);
    })());
  }
  const landed: Record<string, number> = {};
  const deadline = Date.now() + Math.max(120_000, perQueue * 30);
  for (;;) {
    const now = await depths(stack.rabbitUrl, dlqs);
    for (const d of dlqs) landed[d] = (now[d] ?? 0) - (before[d] ?? 0);
    if (dlqs.every((d) => landed[d] >= perQueue) || Date.now() > deadline) break;
    await sleep(1_000);
  }
  await sleep(2_000);
  const after = await depths(stack.rabbitUrl, dlqs);
  for (const d of dlqs) landed[d] = (after[d] ?? 0) - (before[d] ?? 0);
  const crashed = stack.checkCrashes();
  const healthyMs = await untilHealthy(stack, 30_000);
  const exactlyOnce = dlqs.every((d) => landed[d] === perQueue);
  const backlog = await depths(stack.rabbitUrl, queues);
  const stuck = Object.values(backlog).filter((n) => n > 1_000).length + (healthyMs < 0 ? 1 : 0);
  return {
    name: 'poison',
    ok: exactlyOnce && crashed.length === 0 && stuck === 0,
    detail: `${perQueue} per queue × ${queues.length} queues in ${Math.round((Date.now() - started) / 1000)} s; dead-lettered ${Object.values(landed).join('/')}`,
    figures: { crashes: crashed.length, stuck_consumers: stuck, dlq_exactly_once: exactlyOnce, dead_lettered: landed },
  };
}

/** PostgreSQL unreachable for outageMs (our apps only): health 503 during, 200 within 10 s after, nothing lost. */
export async function databaseCut(stack: ChaosStack, outageMs: number): Promise<ScenarioResult> {
  const dlq = `${stack.queue('order-manager.order_events')}.dlq`;
  const recordsDlq = `${stack.queue('model-service.trading_signals.records')}.dlq`;
  const before = await depths(stack.rabbitUrl, [dlq, recordsDlq]);
  stack.pg.cut();
  const started = Date.now();
  const degraded = new Set<DemoApp>();
  while (Date.now() - started < outageMs) {
    for (const app of OUR_APPS) if ((await stack.status(app)) === 503) degraded.add(app);
    await sleep(1_000);
  }
  stack.pg.restore();
  const healthyMs = await untilHealthy(stack, 60_000);
  const figures = await settle(stack, 60_000);
  const after = await depths(stack.rabbitUrl, [dlq, recordsDlq]);
  const deadLettered = (after[dlq] ?? 0) - (before[dlq] ?? 0) + (after[recordsDlq] ?? 0) - (before[recordsDlq] ?? 0);
  const ok = figures.executionsNotStored === 0 && figures.signalRecordsMissing === 0 && deadLettered === 0 && degraded.size === OUR_APPS.length && healthyMs >= 0 && healthyMs <= HEALTHY_WITHIN_MS;
  return {
    name: 'db_cut',
    ok,
    detail: `${outageMs / 1000} s; 503 during: ${[...degraded].join(', ') || 'none'}; 200 again after ${healthyMs} ms`,
    figures: {
      executions_lost: figures.executionsNotStored,
      executions_dead_lettered: deadLettered,
      signal_records_lost: figures.signalRecordsMissing,
      health_503_during: degraded.size === OUR_APPS.length,
      health_200_after_ms: healthyMs,
    },
  };
}

/** Every broker connection of our apps force-closed (at the proxy): each app healthy again within 10 s, nothing lost. */
export async function connectionClose(stack: ChaosStack): Promise<ScenarioResult> {
  const dropped = stack.amqp.dropConnections();
  const started = Date.now();
  await sleep(500);
  const healthyMs = await untilHealthy(stack, 60_000);
  const figures = await settle(stack, 60_000);
  const reconnectMs = healthyMs < 0 ? -1 : healthyMs + 500;
  return {
    name: 'connection_close',
    ok: reconnectMs >= 0 && reconnectMs <= HEALTHY_WITHIN_MS && figures.executionsNotStored === 0 && figures.signalRecordsMissing === 0,
    detail: `${dropped} connections closed; all healthy after ${reconnectMs} ms (${Date.now() - started} ms incl. settling)`,
    figures: { confirmed_lost: figures.signalRecordsMissing + figures.executionsNotStored, reconnect_ms: reconnectMs },
  };
}

/** The persisted armed trailing stops, polled until at least one exists (the kill should hit one) or timeoutMs. */
async function untilTrailingArmed(stack: ChaosStack, timeoutMs: number): Promise<ArmedTrailingStop[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const armed = await armedTrailingStops(stack.databaseUrl);
    if (armed.length > 0 || Date.now() > deadline) return armed;
    await sleep(250);
  }
}

/** kill -9 of each app in turn mid-stream, then a restart: nothing lost, nothing stored or published twice. */
export async function killEach(stack: ChaosStack): Promise<ScenarioResult> {
  const restartMs: Record<string, number> = {};
  let trailing = { armed: 0, checked: 0, lost: 0 };
  for (const app of OUR_APPS) {
    // exit-strategy: the trailing stops armed just before the kill must come back armed with their peaks.
    const armed = app === 'exit-strategy' ? await untilTrailingArmed(stack, 90_000) : [];
    await stack.kill9(app);
    await sleep(2_000);
    restartMs[app] = await stack.launch(app);
    await untilHealthy(stack, 60_000);
    if (app === 'exit-strategy') trailing = { armed: armed.length, ...(await trailingStopsLost(stack.databaseUrl, armed)) };
  }
  const figures = await settle(stack, 90_000);
  return {
    name: 'kill_9',
    ok: figures.executionsNotStored === 0 && figures.signalRecordsMissing === 0 && figures.signalsSeenTwice === 0 && trailing.lost === 0,
    detail: `restarted ${Object.entries(restartMs).map(([a, ms]) => `${a} ${ms} ms`).join(', ')}; trailing stops armed at the kill ${trailing.armed}, still open after it ${trailing.checked}, peak or arming lost ${trailing.lost}`,
    figures: {
      executions_lost: figures.executionsNotStored,
      signal_records_lost: figures.signalRecordsMissing,
      duplicates: figures.signalsSeenTwice,
      trailing_stops_checked: trailing.checked,
      trailing_peaks_lost: trailing.lost,
      restart_ms: restartMs,
    },
  };
}

/** The broker itself: every connection closed, then stop_app / start_app (everyone on the machine notices). */
export async function brokerRestart(stack: ChaosStack): Promise<ScenarioResult> {
  await rabbitmqctl('close_all_connections', 'chaos suite');
  const closedHealthyMs = await untilHealthy(stack, 60_000);
  await rabbitmqctl('stop_app');
  await sleep(10_000);
  await rabbitmqctl('start_app');
  const started = Date.now();
  const healthyMs = await untilHealthy(stack, 120_000);
  const figures = await settle(stack, 90_000);
  return {
    name: 'broker_restart',
    ok: closedHealthyMs >= 0 && closedHealthyMs <= HEALTHY_WITHIN_MS && healthyMs >= 0 && healthyMs <= HEALTHY_WITHIN_MS && figures.signalRecordsMissing + figures.executionsNotStored === 0,
    detail: `after close_all_connections healthy in ${closedHealthyMs} ms; after start_app in ${healthyMs} ms (${Date.now() - started} ms incl. settling)`,
    figures: { confirmed_lost: figures.signalRecordsMissing + figures.executionsNotStored, reconnect_after_close_ms: closedHealthyMs, reconnect_after_restart_ms: healthyMs },
  };
}

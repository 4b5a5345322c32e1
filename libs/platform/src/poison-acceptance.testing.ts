import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';

import { inspectQueue, TEST_RABBITMQ_URL, uniqueName } from '@model-service/messaging/testing';
import { createTestDataSource } from '@model-service/repositories/testing';
import { topology, type Topology } from '@model-service/signals';
import { sleep } from '@model-service/util';

import { AppProcess, freePort, spawnApp, waitForHttp } from './app-process.testing';

/** The message of the incident: valid JSON, otherwise invalid, whose trace_id is 70,000 characters long. */
export const INCIDENT_POISON = JSON.stringify({ trace_id: 'x'.repeat(70_000), poison: true, amount: 'not a number' });

/** One queue an app consumes, as the drill feeds it. */
export interface PoisonTarget {
  /** Publish to this queue (default exchange) ... */
  queue?: string;
  /** ... or to this fanout exchange (the app's private queue is bound to it). */
  exchange?: string;
  /** Where the app must dead-letter the poison. */
  dlq: string;
  /** The `queue` label of the app's `messages_consumed_total` for this target. */
  consumedLabel: string;
  /** A valid message; n counts up from 0. */
  valid: (n: number) => { body: object; headers?: Record<string, unknown> };
}

/** A target the app consumes straight from `queue` (default exchange), dead-lettering to `<queue>.dlq`. */
export function queueTarget(queue: string, valid: (n: number) => object): PoisonTarget {
  return { queue, dlq: `${queue}.dlq`, consumedLabel: queue, valid: (n) => ({ body: valid(n) }) };
}

export interface PoisonAppSetup {
  env: Record<string, string>;
  targets: PoisonTarget[];
  /** Deletes what setup and the app created (schema, queues, exchanges). */
  cleanup: () => Promise<void>;
}

export interface PoisonDrillFigures {
  app: string;
  /** Per DLQ: ms from the poison's publish confirm to its arrival in the DLQ. */
  dlq_latency_ms: Record<string, number>;
  /** Every /health answer during the drill. */
  health_statuses: number[];
  /** Per target: valid messages handled after the poison was sent. */
  consumed_after_poison: Record<string, number>;
}

const RABBITMQ_URL = TEST_RABBITMQ_URL;
const TRAFFIC_INTERVAL_MS = 50;
const DLQ_DEADLINE_MS = 5_000;

function consumedCounts(metricsText: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of metricsText.matchAll(/^model_service_messages_consumed_total\{queue="([^"]+)"\} (\d+(?:\.\d+)?)$/gm)) {
    out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

/** Messages in a DLQ; 0 while it is not declared yet. */
async function dlqDepth(conn: ChannelModel, queue: string): Promise<number> {
  return (await inspectQueue(conn, queue))?.messageCount ?? 0;
}

function send(ch: ConfirmChannel, target: PoisonTarget, body: Buffer, headers?: Record<string, unknown>): void {
  ch.publish(target.exchange ?? '', target.queue ?? '', body, { persistent: true, contentType: 'application/json', headers });
}

/**
 * Runs the app as a process, feeds every target a steady flow of valid messages, sends the incident's
 * poison once to each, and measures: the poison's arrival in each DLQ, the valid flow after it, /health.
 */
export async function runPoisonDrill(app: string, setup: PoisonAppSetup): Promise<PoisonDrillFigures> {
  const port = await freePort();
  const proc: AppProcess = spawnApp(app, {
    MODEL_SERVICE_PORT: String(port),
    MODEL_SERVICE_SERVICE_NAME: `${app}-poison${port}`,
    MODEL_SERVICE_LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    ...setup.env,
  });
  const base = `http://127.0.0.1:${port}`;
  const conn = await connect(RABBITMQ_URL, { noDelay: true });
  conn.on('error', () => undefined);
  let traffic: NodeJS.Timeout | undefined;
  let healthPolling = true;
  let healthLoop: Promise<void> = Promise.resolve();
  try {
    const up = await waitForHttp(`${base}/health`, (s) => s === 200, 60_000);
    if (up.status !== 200) throw new Error(`${app} not healthy: ${up.status} ${JSON.stringify(up.body)}\n${proc.output().slice(-4_000)}`);
    const ch = await conn.createConfirmChannel();
    ch.on('error', () => undefined);

    let n = 0;
    traffic = setInterval(() => {
      for (const t of setup.targets) {
        const { body, headers } = t.valid(n);
        send(ch, t, Buffer.from(JSON.stringify(body)), headers);
      }
      n++;
    }, TRAFFIC_INTERVAL_MS);
    const metrics = async (): Promise<Map<string, number>> => consumedCounts(await (await fetch(`${base}/metrics`)).text());
    const deadline = Date.now() + 20_000;
    for (;;) {
      const counts = await metrics();
      if (setup.targets.every((t) => (counts.get(t.consumedLabel) ?? 0) > 0)) break;
      if (Date.now() > deadline) {
        const missing = setup.targets.filter((t) => !counts.get(t.consumedLabel)).map((t) => t.consumedLabel);
        throw new Error(`${app} handled no valid message on ${missing.join(', ')}\n${proc.output().slice(-4_000)}`);
      }
      await sleep(100);
    }

    const healthStatuses: number[] = [];
    healthLoop = (async () => {
      while (healthPolling) {
        healthStatuses.push((await fetch(`${base}/health`).catch(() => ({ status: 0 }))).status);
        await sleep(200);
      }
    })();
    for (const t of setup.targets) {
      if ((await dlqDepth(conn, t.dlq)) !== 0) throw new Error(`${t.dlq} is not empty before the poison`);
    }

    const before = await metrics();
    for (const t of setup.targets) send(ch, t, Buffer.from(INCIDENT_POISON));
    await ch.waitForConfirms();
    const sentAt = Date.now();
    const latency: Record<string, number> = {};
    while (Object.keys(latency).length < setup.targets.length && Date.now() - sentAt < DLQ_DEADLINE_MS + 1_000) {
      for (const t of setup.targets) {
        if (latency[t.dlq] === undefined && (await dlqDepth(conn, t.dlq)) >= 1) latency[t.dlq] = Date.now() - sentAt;
      }
      await sleep(20);
    }
    // The valid flow goes on, and nothing arrives in a DLQ twice.
    await sleep(1_500);
    const after = await metrics();
    const depths: Record<string, number> = {};
    for (const t of setup.targets) depths[t.dlq] = await dlqDepth(conn, t.dlq);
    healthPolling = false;
    await healthLoop;
    clearInterval(traffic);
    traffic = undefined;

    const consumedAfter: Record<string, number> = {};
    for (const t of setup.targets) consumedAfter[t.consumedLabel] = (after.get(t.consumedLabel) ?? 0) - (before.get(t.consumedLabel) ?? 0);
    const figures: PoisonDrillFigures = { app, dlq_latency_ms: latency, health_statuses: healthStatuses, consumed_after_poison: consumedAfter };
    process.stdout.write(`poison drill ${JSON.stringify({ ...figures, health_statuses: summarize(healthStatuses), dlq_depths: depths })}\n`);
    const wanted = Object.fromEntries(setup.targets.map((t) => [t.dlq, 1]));
    if (JSON.stringify(depths) !== JSON.stringify(wanted)) {
      throw new Error(`DLQ depths ${JSON.stringify(depths)}, wanted 1 each; app output:\n${proc.output().slice(-6_000)}`);
    }
    return figures;
  } finally {
    healthPolling = false;
    await healthLoop;
    clearInterval(traffic);
    await conn.close().catch(() => undefined);
    await proc.stop();
    await setup.cleanup();
  }
}

function summarize(statuses: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[String(s)] = (out[String(s)] ?? 0) + 1;
  return out;
}

/**
 * The acceptance of the poison incident for one app: each consumed queue gets the poison once while valid
 * traffic flows; each poison is in its DLQ exactly once within 5 s, valid traffic keeps being handled on every
 * queue, and /health answers 200 throughout.
 */
export function describePoisonAcceptance(app: string, setup: () => Promise<PoisonAppSetup>): void {
  describe(`${app}: the incident's poison on every consumed queue`, () => {
    it('lands in each DLQ exactly once within 5 s; valid traffic never stops; /health stays ok', async () => {
      const figures = await runPoisonDrill(app, await setup());
      for (const ms of Object.values(figures.dlq_latency_ms)) expect(ms).toBeLessThan(DLQ_DEADLINE_MS);
      expect(Object.keys(figures.dlq_latency_ms).length).toBeGreaterThan(0);
      for (const handled of Object.values(figures.consumed_after_poison)) expect(handled).toBeGreaterThan(0);
      expect(figures.health_statuses.length).toBeGreaterThan(0);
      expect(figures.health_statuses.filter((s) => s !== 200)).toEqual([]);
    }, 90_000);
  });
}

/** An app's part of its poison drill on its own schema and queue prefix (see {@link describeAppPoisonAcceptance}). */
export interface PoisonAppPart {
  /** The app's own variables, besides the database, broker and queue prefix. */
  env?: Record<string, string>;
  targets: PoisonTarget[];
  /** Deletes the queues and exchanges the app created (the schema is dropped after it). */
  cleanup: () => Promise<void>;
}

/**
 * {@link describePoisonAcceptance} for an app on a fresh schema (`<name>_…`) and a queue prefix of its own
 * (`<name>.…`): `part` gets the app's queue and exchange names under that prefix.
 */
export function describeAppPoisonAcceptance(app: string, name: string, part: (names: Topology) => PoisonAppPart | Promise<PoisonAppPart>): void {
  describePoisonAcceptance(app, async () => {
    const db = await createTestDataSource({ prefix: name });
    const prefix = `${uniqueName(name)}.`;
    const own = await part(topology(prefix));
    return {
      env: { DATABASE_URL: db.url, DATABASE_SCHEMA: db.schema, RABBITMQ_URL, QUEUE_PREFIX: prefix, ...own.env },
      targets: own.targets,
      cleanup: async () => {
        await own.cleanup();
        await db.drop();
      },
    };
  });
}

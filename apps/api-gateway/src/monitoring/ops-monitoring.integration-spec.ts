import { deleteQueues, uniqueName } from '@model-service/messaging/testing';
import { FakeClock } from '@model-service/util/testing';
import { connect } from 'amqplib';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { GatewayTestApp, RABBITMQ_URL, startGatewayTestApp } from '../testing/gateway-test-app.testing';
import { Seeder } from '../testing/seed.testing';

const NOW = Date.UTC(2026, 2, 10, 12, 30, 0);
const H = 3_600_000;
const at = (ms: number): Date => new Date(ms);

/** Answers /health with a fixed status and body, as another app would. */
async function healthServer(status: number, body: unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url !== '/health') return void res.writeHead(404).end();
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A port nothing listens on: free when checked, and below the ephemeral range, so no listen(0) (supertest
 * starts the app on one per request) can take it in the meantime; a released ephemeral port could be handed
 * straight back to the app under test, which would then answer its own "unreachable" probe.
 */
async function closedPort(): Promise<number> {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * Math.max(1, Math.min(10_000, ephemeralLow - 20_000)));
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => server.close(resolve));
      return port;
    }
  }
  throw new Error('no free port below the ephemeral range');
}

describe('api-gateway ops monitoring: apps health, DLQ depths, signal flow, exits (real PostgreSQL and RabbitMQ)', () => {
  let t: GatewayTestApp;
  let seed: Seeder;
  let healthy: { url: string; server: Server };
  let degraded: { url: string; server: Server };
  const consumed = [uniqueName('test.gw.ops.orders'), uniqueName('test.gw.ops.positions')];

  beforeAll(async () => {
    healthy = await healthServer(200, { status: 'ok', service: 'signal-generator', checks: { database: { status: 'up' }, message_queue: { status: 'up' } } });
    degraded = await healthServer(503, { status: 'unhealthy', service: 'trainer', details: { database: 'disconnected', message_queue: 'connected', active_models: 2 } });
    t = await startGatewayTestApp({
      clock: new FakeClock(NOW),
      deadLetterQueues: consumed,
      env: { SIGNAL_GENERATOR_URL: healthy.url, TRAINER_URL: `${degraded.url}/`, EXIT_STRATEGY_URL: `http://127.0.0.1:${await closedPort()}` },
    });
    seed = new Seeder(t.db.dataSource, t.storageDir);
  });
  afterAll(async () => {
    await t?.close();
    await deleteQueues(RABBITMQ_URL, consumed.map((q) => `${q}.dlq`));
    await Promise.all([healthy, degraded].map((s) => new Promise((resolve) => s?.server.close(resolve))));
  });

  it('needs the API key on every new endpoint', async () => {
    for (const path of ['services', 'dead-letter-queues', 'signals/time-series', 'exits']) {
      const res = await t.http.get(`/api/v1/monitoring/${path}`).expect(401);
      expect(res.body.message).toBe('the X-API-Key header is required');
    }
  });

  it("reports every app's health: itself, an ok app, a degraded one (503 in the public shape) and an unreachable one", async () => {
    const { body } = await t.get('/api/v1/monitoring/services').expect(200);
    expect(body.items.map((a: { service: string }) => a.service)).toEqual(['api-gateway', 'signal-generator', 'trainer', 'exit-strategy']);
    const [self, sg, trainer, exit] = body.items;
    expect(self).toMatchObject({ status: 'ok', url: null, http_status: 200, checks: { database: 'up', message_queue: 'up' }, error: null });
    expect(sg).toMatchObject({ status: 'ok', url: `${healthy.url}/health`, http_status: 200, checks: { database: 'up', message_queue: 'up' }, error: null });
    expect(typeof sg.response_ms).toBe('number');
    // The count (active_models) is information, not a check.
    expect(trainer).toMatchObject({ status: 'degraded', url: `${degraded.url}/health`, http_status: 503, checks: { database: 'down', message_queue: 'up' } });
    expect(Object.keys(trainer.checks)).toEqual(['database', 'message_queue']);
    expect(exit).toMatchObject({ status: 'unreachable', http_status: null, checks: {}, response_ms: null });
    expect(exit.error).toMatch(/fetch failed.*ECONNREFUSED/);
  });

  it('says which app has no URL configured', async () => {
    const bare = await startGatewayTestApp();
    try {
      const { body } = await bare.get('/api/v1/monitoring/services').expect(200);
      expect(body.items.slice(1)).toEqual([
        { service: 'signal-generator', url: null, status: 'not_configured', http_status: null, checks: {}, response_ms: null, error: 'SIGNAL_GENERATOR_URL is not set' },
        { service: 'trainer', url: null, status: 'not_configured', http_status: null, checks: {}, response_ms: null, error: 'TRAINER_URL is not set' },
        { service: 'exit-strategy', url: null, status: 'not_configured', http_status: null, checks: {}, response_ms: null, error: 'EXIT_STRATEGY_URL is not set' },
      ]);
    } finally {
      await bare.close();
    }
  });

  it('reports the depth of each consumed queue DLQ, and a DLQ nobody declared yet as missing', async () => {
    const conn = await connect(RABBITMQ_URL);
    const ch = await conn.createChannel();
    await ch.assertQueue(`${consumed[0]}.dlq`, { durable: true });
    for (let i = 0; i < 3; i++) ch.sendToQueue(`${consumed[0]}.dlq`, Buffer.from(`{"n":${i}}`));
    await ch.close();
    await conn.close();
    const { body } = await t.get('/api/v1/monitoring/dead-letter-queues').expect(200);
    expect(body).toEqual({
      checked_at: at(NOW).toISOString(),
      items: [
        { queue: consumed[0], dead_letter_queue: `${consumed[0]}.dlq`, exists: true, messages: 3 },
        { queue: consumed[1], dead_letter_queue: `${consumed[1]}.dlq`, exists: false, messages: 0 },
      ],
      total_messages: 3,
    });
  });

  it('counts signals per hour, strategy and mode (warm-up, model, exit) in the window, and exits per rule', async () => {
    const exit = (reason: string, ms: number, strategy = 'trend') =>
      seed.signal({ strategy_id: strategy, signal_type: 'sell', is_warmup: false, timestamp: at(ms), metadata: { exit_reason: reason, reason: `${reason} hit` } });
    await seed.signal({ strategy_id: 'trend', timestamp: at(NOW - 2 * H - 60_000) }); // 10:29 warm-up
    await seed.signal({ strategy_id: 'trend', timestamp: at(NOW - 2 * H + 60_000) }); // 10:31 warm-up
    await seed.signal({ strategy_id: 'trend', is_warmup: false, model_version: 'v1', timestamp: at(NOW - H) }); // 11:30 model
    await exit('take_profit', NOW - H + 1_000);
    await exit('take_profit', NOW - 10 * 60_000);
    await exit('stop_loss', NOW - 5 * 60_000);
    await exit('stop_loss', NOW - 60_000, 'range');
    await seed.signal({ strategy_id: 'range', timestamp: at(NOW - 30 * H) }); // outside 24 h
    await exit('time_based', NOW - 30 * H, 'range'); // outside 24 h
    await seed.signal({ strategy_id: 'range', timestamp: at(NOW + 60_000) }); // after end

    const { body } = await t.get('/api/v1/monitoring/signals/time-series').expect(200);
    expect(body).toEqual({
      granularity: 'hour',
      start_time: at(NOW - 24 * H).toISOString(),
      end_time: at(NOW).toISOString(),
      items: [
        { timestamp: '2026-03-10T10:00:00.000Z', strategy_id: 'trend', mode: 'warmup', count: 2 },
        { timestamp: '2026-03-10T11:00:00.000Z', strategy_id: 'trend', mode: 'exit', count: 1 },
        { timestamp: '2026-03-10T11:00:00.000Z', strategy_id: 'trend', mode: 'model', count: 1 },
        { timestamp: '2026-03-10T12:00:00.000Z', strategy_id: 'range', mode: 'exit', count: 1 },
        { timestamp: '2026-03-10T12:00:00.000Z', strategy_id: 'trend', mode: 'exit', count: 2 },
      ],
      totals_by_mode: { warmup: 2, model: 1, exit: 4 },
    });
    const daily = await t.get('/api/v1/monitoring/signals/time-series?granularity=day&start_time=2026-03-09T00:00:00Z').expect(200);
    expect(daily.body.totals_by_mode).toEqual({ warmup: 3, model: 1, exit: 5 });

    const exits = await t.get('/api/v1/monitoring/exits').expect(200);
    expect(exits.body).toEqual({
      start_time: at(NOW - 24 * H).toISOString(),
      end_time: at(NOW).toISOString(),
      items: [
        { strategy_id: 'trend', exit_reason: 'take_profit', count: 2, last_at: at(NOW - 10 * 60_000).toISOString() },
        { strategy_id: 'range', exit_reason: 'stop_loss', count: 1, last_at: at(NOW - 60_000).toISOString() },
        { strategy_id: 'trend', exit_reason: 'stop_loss', count: 1, last_at: at(NOW - 5 * 60_000).toISOString() },
      ],
      by_reason: { take_profit: 2, stop_loss: 2 },
      total: 4,
    });
    const range = await t.get('/api/v1/monitoring/exits?strategy_id=range&start_time=2026-03-09T00:00:00Z').expect(200);
    expect(range.body.by_reason).toEqual({ time_based: 1, stop_loss: 1 });
  });

  it('refuses bad parameters naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/monitoring/signals/time-series?granularity=minute', 'granularity'],
      ['/api/v1/monitoring/signals/time-series?start_time=yesterday', 'start_time'],
      ['/api/v1/monitoring/exits?start_time=2026-03-10T12:00:00Z&end_time=2026-03-10T11:00:00Z', 'end_time'],
    ];
    for (const [path, field] of cases) {
      const res = await t.get(path).expect(400);
      expect(res.body.field).toBe(field);
    }
  });
});
